package dev.porter.http.internal.files;

/**
 * The style sheet embedded in every directory listing: system fonts, light and dark schemes, a table that reads
 * on a desktop and collapses to name and size on a phone, and folder/file icons as data: SVGs (allowed by the
 * page's CSP; no request leaves the page).
 */
final class ListingStyle {

    private ListingStyle() {
    }

    static final String CSS = """
            :root{--fg:#1f2328;--muted:#59636e;--bg:#fff;--panel:#f6f8fa;--line:#d1d9e0;--link:#0969da;--hover:#eef3f9}
            @media (prefers-color-scheme:dark){:root{--fg:#e6edf3;--muted:#9198a1;--bg:#0d1117;--panel:#151b23;\
            --line:#3d444d;--link:#4493f8;--hover:#1c2633}}
            *{box-sizing:border-box}
            html{-webkit-text-size-adjust:100%}
            body{margin:0;color:var(--fg);background:var(--bg);\
            font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
            main{max-width:980px;margin:0 auto;padding:28px 20px 40px}
            h1{font-size:1.3rem;font-weight:600;margin:0 0 18px;overflow-wrap:anywhere}
            h1 .muted{color:var(--muted);font-weight:400}
            a{color:var(--link);text-decoration:none}
            a:hover{text-decoration:underline}
            h1 a{color:var(--link);text-decoration:underline;text-decoration-color:var(--line);\
            text-underline-offset:3px;border-radius:4px;padding:0 2px}
            h1 a:hover{text-decoration-color:currentColor;background:var(--hover)}
            thead th a{color:inherit;display:block}
            thead th a.on{color:var(--fg)}
            .tag{font-size:.72rem;color:var(--muted);border:1px solid var(--line);border-radius:6px;padding:0 5px;\
            margin-left:.4em;vertical-align:1px}
            .actions{display:flex;flex-wrap:wrap;gap:10px;align-items:center;margin:0 0 14px}
            .actions form{display:flex;flex-wrap:wrap;gap:6px;align-items:center;margin:0;padding:8px 10px;\
            border:1px solid var(--line);border-radius:10px;background:var(--panel)}
            .actions input{font:inherit;color:inherit;max-width:100%}
            .actions input[type=text]{background:var(--bg);border:1px solid var(--line);border-radius:6px;padding:4px 8px}
            .actions button,.actions a.button{font:inherit;font-size:.9rem;color:#fff;background:var(--link);border:0;\
            border-radius:6px;padding:5px 12px;cursor:pointer;text-decoration:none}
            table{width:100%;border-collapse:separate;border-spacing:0;border:1px solid var(--line);border-radius:10px;\
            overflow:hidden}
            th,td{padding:7px 14px;text-align:left;border-top:1px solid var(--line)}
            thead th{border-top:0;background:var(--panel);color:var(--muted);font-size:.75rem;font-weight:600;\
            text-transform:uppercase;letter-spacing:.05em}
            tbody tr:hover{background:var(--hover)}
            td.n a{display:inline-flex;align-items:center;gap:.55em;overflow-wrap:anywhere}
            td.n a::before{content:"";flex:none;width:1.05em;height:1.05em;background:no-repeat center/contain}
            tr.dir td.n a::before{background-image:url("data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' \
            viewBox='0 0 16 16'%3E%3Cpath fill='%2354aeff' d='M1 3.5A1.5 1.5 0 0 1 2.5 2h3.6l1.6 1.6h5.8A1.5 1.5 0 0 1 \
            15 5.1v7.4a1.5 1.5 0 0 1-1.5 1.5h-11A1.5 1.5 0 0 1 1 12.5z'/%3E%3C/svg%3E")}
            tr.file td.n a::before{background-image:url("data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' \
            viewBox='0 0 16 16'%3E%3Cpath fill='none' stroke='%23848d97' d='M3.5 1.5h6l3 3v10h-9z M9.5 1.5v3h3'/%3E\
            %3C/svg%3E")}
            tr.up td.n a::before{background-image:url("data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' \
            viewBox='0 0 16 16'%3E%3Cpath fill='none' stroke='%23848d97' stroke-width='1.5' d='M8 13V3M3.5 7.5 8 3l4.5 \
            4.5'/%3E%3C/svg%3E")}
            td.s,td.d{white-space:nowrap;color:var(--muted);font-variant-numeric:tabular-nums}
            td.s,th.s{text-align:right}
            tr.empty td{color:var(--muted);text-align:center;padding:28px}
            footer{margin-top:14px;color:var(--muted);font-size:.85rem}
            @media (max-width:600px){main{padding:18px 12px 28px}h1{font-size:1.1rem}.d{display:none}\
            th,td{padding:11px 10px}body{font-size:16px}}
            """;
}
