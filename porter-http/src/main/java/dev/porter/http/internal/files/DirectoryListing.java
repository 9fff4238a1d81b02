package dev.porter.http.internal.files;

import dev.porter.http.internal.Targets;
import java.io.IOException;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The HTML page listing a directory: folders first, then files, each group in natural order (case-insensitive,
 * numbers by value: {@code file2} before {@code file10}); human-readable sizes and local dates; a parent link and
 * breadcrumbs. Every name is HTML-escaped in text and percent-encoded in links, and the page is meant to be sent
 * with a Content-Security-Policy that allows no script at all ({@link #CONTENT_SECURITY_POLICY}). The embedded CSS
 * follows the system's light or dark scheme and drops the date column on narrow (phone) screens.
 * Stateless and thread-safe.
 */
public final class DirectoryListing {

    /** Entries shown at most; a larger directory gets a note instead of a page of unbounded size. */
    public static final int MAX_ENTRIES = 10_000;

    /** The CSP for the page: its own inline style and data: icons, nothing else (no script can run). */
    public static final String CONTENT_SECURITY_POLICY =
            "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'self'";

    private static final DateTimeFormatter DATE =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT).withZone(ZoneId.systemDefault());

    /**
     * One listed name.
     *
     * @param name           the file name
     * @param directory      true for a directory
     * @param size           the size in bytes (files)
     * @param modifiedMillis last modification, milliseconds since the epoch
     * @param link           true for a symbolic link (to a file or folder inside the root, or outside when allowed)
     */
    public record Entry(String name, boolean directory, long size, long modifiedMillis, boolean link) {
    }

    /**
     * What the page offers beside the list.
     *
     * @param upload  an upload form (POST multipart/form-data to the folder)
     * @param mkdir   a form to create a folder
     * @param archive a link that downloads the folder as a zip ({@code ?download=zip})
     */
    public record Actions(boolean upload, boolean mkdir, boolean archive) {
        /** Nothing but the list. */
        public static final Actions NONE = new Actions(false, false, false);
    }

    /**
     * The entries of a directory, already sorted.
     *
     * @param entries   what to show
     * @param truncated true if the directory held more than {@link #MAX_ENTRIES} entries
     */
    public record Contents(List<Entry> entries, boolean truncated) {
    }

    private DirectoryListing() {
    }

    /**
     * Reads {@code dir}, leaving out what {@code mapper} would refuse to serve: hidden dotfiles, names no request
     * path can hold, links leading out of the root, broken links, and names that are neither files nor directories.
     */
    public static Contents read(Path dir, PathMapper mapper) throws IOException {
        List<Entry> entries = new ArrayList<>();
        boolean truncated = false;
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
            for (Path p : stream) {
                String name = p.getFileName().toString();
                if (!mapper.servable(name) || !decodable(p, name)) continue;
                if (entries.size() == MAX_ENTRIES) {
                    truncated = true;
                    break;
                }
                Entry e = entry(p, name, mapper);
                if (e != null) entries.add(e);
            }
        } catch (DirectoryIteratorException e) {
            throw e.getCause();
        }
        return new Contents(ListingSort.DEFAULT.sort(entries), truncated);
    }

    /**
     * @return false if the name's bytes are not valid in the file system's charset ({@code sun.jnu.encoding}, from
     *         the locale): the decoded name then holds U+FFFD or '?' and names no file, so a request cannot fetch it
     */
    private static boolean decodable(Path p, String name) {
        try {
            return p.getFileName().equals(p.getFileSystem().getPath(name));
        } catch (InvalidPathException e) {
            return false;
        }
    }

    private static Entry entry(Path p, String name, PathMapper mapper) {
        try {
            BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            boolean link = a.isSymbolicLink();
            if (link) {
                if (mapper.confine(p) == null) return null;
                a = Files.readAttributes(p, BasicFileAttributes.class);
            }
            if (!a.isDirectory() && !a.isRegularFile()) return null;
            return new Entry(name, a.isDirectory(), a.size(), a.lastModifiedTime().toMillis(), link);
        } catch (IOException e) {
            // A broken link, or a name removed while listing: it cannot be served, so it is not listed.
            return null;
        }
    }

    /** Renders the page in the default order with nothing but the list. */
    public static String render(String displayPath, int depth, Contents contents) {
        return render(displayPath, depth, contents, ListingSort.DEFAULT, Actions.NONE);
    }

    /**
     * Renders the page.
     *
     * @param displayPath the decoded request path, shown as the title (escaped here)
     * @param depth       how many directories below the mount root this one is (0 = the root: no parent link)
     * @param sort        the order of {@code contents.entries()}, shown in the column headers
     * @param actions     the forms and links offered beside the list
     */
    public static String render(String displayPath, int depth, Contents contents, ListingSort sort, Actions actions) {
        StringBuilder sb = new StringBuilder(4096 + contents.entries().size() * 200);
        sb.append("<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<meta name=\"color-scheme\" content=\"light dark\">\n<title>Index of ");
        escape(sb, displayPath);
        sb.append("</title>\n<style>\n").append(ListingStyle.CSS).append("</style>\n</head>\n<body>\n<main>\n");
        breadcrumbs(sb, displayPath, depth);
        ListingForms.actions(sb, actions, sort);
        sb.append("<table>\n<thead><tr>");
        header(sb, "n", "Name", ListingSort.Key.NAME, sort);
        header(sb, "s", "Size", ListingSort.Key.SIZE, sort);
        header(sb, "d", "Modified", ListingSort.Key.DATE, sort);
        sb.append("</tr></thead>\n<tbody>\n");
        if (depth > 0) {
            sb.append("<tr class=\"up\"><td class=\"n\"><a href=\"../").append(sort.query()).append("\">Parent directory</a></td>")
                    .append("<td class=\"s\"></td><td class=\"d\"></td></tr>\n");
        }
        int dirs = 0;
        for (Entry e : contents.entries()) {
            if (e.directory()) dirs++;
            sb.append(e.directory() ? "<tr class=\"dir" : "<tr class=\"file").append(e.link() ? " link\">" : "\">")
                    .append("<td class=\"n\"><a href=\"");
            sb.append(Targets.encodePathSegment(e.name()));
            if (e.directory()) sb.append('/').append(sort.query());
            sb.append("\">");
            escape(sb, e.name());
            if (e.directory()) sb.append('/');
            sb.append("</a>");
            if (e.link()) sb.append(" <span class=\"tag\" title=\"symbolic link\">link</span>");
            sb.append("</td><td class=\"s\">");
            if (e.directory()) sb.append("&mdash;");
            else humanSize(sb, e.size());
            Instant t = Instant.ofEpochMilli(e.modifiedMillis());
            sb.append("</td><td class=\"d\"><time datetime=\"").append(t.toString()).append("\">")
                    .append(DATE.format(t)).append("</time></td></tr>\n");
        }
        if (contents.entries().isEmpty()) {
            sb.append("<tr class=\"empty\"><td colspan=\"3\">This folder is empty.</td></tr>\n");
        }
        int files = contents.entries().size() - dirs;
        sb.append("</tbody>\n</table>\n<footer>").append(dirs).append(dirs == 1 ? " folder, " : " folders, ")
                .append(files).append(files == 1 ? " file" : " files");
        if (contents.truncated()) sb.append(" shown; the folder holds more than ").append(MAX_ENTRIES).append(" entries");
        sb.append("</footer>\n</main>\n</body>\n</html>\n");
        return sb.toString();
    }

    /** A column header that sorts by its column when clicked; the current one shows its direction. */
    private static void header(StringBuilder sb, String cls, String label, ListingSort.Key key, ListingSort sort) {
        ListingSort next = sort.toggled(key);
        sb.append("<th class=\"").append(cls).append('"');
        if (sort.key() == key) sb.append(" aria-sort=\"").append(sort.descending() ? "descending" : "ascending").append('"');
        sb.append("><a href=\"").append(next.query().isEmpty() ? "./" : next.query()).append('"');
        if (sort.key() == key) {
            sb.append(" class=\"on\">").append(label).append(sort.descending() ? " &darr;" : " &uarr;");
        } else {
            sb.append('>').append(label);
        }
        sb.append("</a></th>");
    }

    /** The title as links: each directory from the mount root down is clickable (relative links). */
    private static void breadcrumbs(StringBuilder sb, String displayPath, int depth) {
        sb.append("<h1><span class=\"muted\">Index of</span> ");
        List<String> segs = new ArrayList<>();
        int i = 1;
        while (i < displayPath.length()) {
            int end = displayPath.indexOf('/', i);
            if (end < 0) end = displayPath.length();
            if (end > i) segs.add(displayPath.substring(i, end));
            i = end + 1;
        }
        // The segment naming the mount root; -1 when the files are mounted at "/" itself. Crumbs from the mount
        // root down are links (relative, so they hold under any prefix); those above it are plain text.
        int rootIndex = Math.max(-1, segs.size() - depth - 1);
        if (rootIndex == -1) crumb(sb, "/", segs.size());
        else sb.append('/');
        for (int k = 0; k < segs.size(); k++) {
            if (k >= rootIndex) crumb(sb, segs.get(k), segs.size() - 1 - k);
            else escape(sb, segs.get(k));
            sb.append('/');
        }
        sb.append("</h1>\n");
    }

    private static void crumb(StringBuilder sb, String text, int up) {
        sb.append("<a href=\"");
        if (up == 0) sb.append("./");
        for (int u = 0; u < up; u++) sb.append("../");
        sb.append("\">");
        escape(sb, text);
        sb.append("</a>");
    }

    /** Appends {@code s} with the five HTML-significant characters escaped. */
    static void escape(StringBuilder sb, String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&#39;");
                default -> sb.append(c);
            }
        }
    }

    /** Appends a size as people read it: {@code 999 B}, {@code 1.5 KiB}, {@code 12.0 MiB}. */
    static void humanSize(StringBuilder sb, long bytes) {
        if (bytes < 1024) {
            sb.append(bytes).append(" B");
            return;
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
        int u = 0;
        long scaled = bytes;
        while (scaled >= 1024 * 1024 && u < units.length - 1) {
            scaled >>= 10;
            u++;
        }
        long tenths = Math.round(scaled * 10 / 1024.0);
        if (tenths >= 10240 && u < units.length - 1) { // rounding reached the next unit
            tenths = Math.round(tenths / 1024.0);
            u++;
        }
        sb.append(tenths / 10).append('.').append(tenths % 10).append(' ').append(units[u]);
    }
}
