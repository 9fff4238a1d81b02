package dev.porter.http.internal.multipart;

import java.util.ArrayList;
import java.util.List;

/**
 * A header value of the form {@code value *( ";" name "=" ( token / quoted-string ) )} (RFC 9110 §5.6.6), as
 * Content-Type and Content-Disposition are: the leading value and the parameters, names compared
 * case-insensitively, quoted strings unescaped. Read by hand, left to right, no regex.
 *
 * <p>A backslash in a quoted string escapes only a tspecial (RFC 2045 §5.1; {@code "} and {@code \} among them), not
 * any character as RFC 9110 §5.6.4 has it: browsers (the HTML standard) and curl send a file name's backslash raw,
 * {@code filename="a\b.txt"}, escaping only {@code "} (as {@code %22}), so the strict rule turned that name into
 * {@code ab.txt}. Go's mime package reads it the same way.
 *
 * @param value  the leading value, trimmed
 * @param params names and values in order of appearance
 */
public record HeaderParams(String value, List<String[]> params) {

    private static final String TSPECIALS = "()<>@,;:\\\"/[]?=";

    /** @return the first value of parameter {@code name} (case-insensitive), or null */
    public String get(String name) {
        for (String[] p : params) {
            if (p[0].equalsIgnoreCase(name)) return p[1];
        }
        return null;
    }

    /** @return true if a parameter name appears more than once (compared case-insensitively) */
    public boolean repeated() {
        for (int i = 1; i < params.size(); i++) {
            for (int j = 0; j < i; j++) {
                if (params.get(i)[0].equalsIgnoreCase(params.get(j)[0])) return true;
            }
        }
        return false;
    }

    /** @return the parsed value, or null when it is malformed (an unterminated quote, a parameter without "=") */
    public static HeaderParams parse(String s) {
        int n = s.length();
        int semi = s.indexOf(';');
        String value = (semi < 0 ? s : s.substring(0, semi)).strip();
        List<String[]> params = new ArrayList<>(4);
        int i = semi < 0 ? n : semi + 1;
        while (i < n) {
            while (i < n && (s.charAt(i) == ' ' || s.charAt(i) == '\t' || s.charAt(i) == ';')) i++;
            if (i == n) break;
            int eq = i;
            while (eq < n && s.charAt(eq) != '=' && s.charAt(eq) != ';') eq++;
            if (eq == n || s.charAt(eq) != '=') return null;
            String name = s.substring(i, eq).strip();
            if (name.isEmpty()) return null;
            i = eq + 1;
            while (i < n && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) i++;
            StringBuilder v = new StringBuilder();
            if (i < n && s.charAt(i) == '"') {
                i++;
                boolean closed = false;
                while (i < n) {
                    char c = s.charAt(i++);
                    if (c == '\\' && i < n && TSPECIALS.indexOf(s.charAt(i)) >= 0) {
                        v.append(s.charAt(i++));
                    } else if (c == '"') {
                        closed = true;
                        break;
                    } else {
                        v.append(c);
                    }
                }
                if (!closed) return null;
                while (i < n && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) i++;
                if (i < n && s.charAt(i) != ';') return null;
            } else {
                int start = i;
                while (i < n && s.charAt(i) != ';') i++;
                v.append(s, start, i);
                String t = v.toString().strip();
                v.setLength(0);
                v.append(t);
            }
            params.add(new String[] {name, v.toString()});
        }
        return new HeaderParams(value, params);
    }
}
