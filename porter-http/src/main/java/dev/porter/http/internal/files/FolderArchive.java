package dev.porter.http.internal.files;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * A folder written as a zip straight to the response ({@link ZipOutputStream} over the body stream: no temporary
 * file, memory bounded by one copy buffer and the deflater). What goes in is exactly what the listing would show
 * and a request could fetch: hidden dotfiles are left out, as are links leading out of the root (checked with
 * {@link PathMapper#confine}, the same rule as for a GET), broken links, FIFOs and devices. Links to folders are
 * not descended (a link to an ancestor would loop forever); links to files inside the root are included.
 * Entry names are the relative paths below the folder, from real directory entries, so none can hold {@code ..};
 * a name holding a backslash or a control character is left out, since Windows' extractors would read a backslash
 * as a separator ({@code ..\evil}). Text is deflated, already compressed media stored (level 0). Stateless.
 */
public final class FolderArchive {

    private static final System.Logger LOG = System.getLogger("dev.porter.http.StaticFiles");

    /** Deepest folder nesting followed: bounds the walk's stack against pathological trees. */
    static final int MAX_DEPTH = 64;

    private FolderArchive() {
    }

    /**
     * Writes {@code dir} (already confined to the root) as a zip to {@code out}, then finishes the archive (but does
     * not close {@code out}).
     *
     * @return the number of files written
     * @throws IOException if writing to {@code out} fails, or a file fails while it is being read (the archive is
     *                     then cut short, and the client sees a broken download rather than a wrong one)
     */
    public static int write(Path dir, PathMapper mapper, OutputStream out) throws IOException {
        ZipOutputStream zip = new ZipOutputStream(out);
        int files = add(zip, dir, "", mapper, 0);
        zip.finish();
        return files;
    }

    private static int add(ZipOutputStream zip, Path dir, String prefix, PathMapper mapper, int depth) throws IOException {
        if (depth > MAX_DEPTH) return 0;
        List<Path> children = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
            for (Path p : stream) children.add(p);
        } catch (DirectoryIteratorException e) {
            throw e.getCause();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "folder left out of a zip: {0}", e.toString());
            return 0; // unreadable folder: left out, as the listing would fail on it
        }
        children.sort((a, b) -> NaturalOrder.compare(a.getFileName().toString(), b.getFileName().toString()));
        int files = 0;
        for (Path p : children) {
            String name = p.getFileName().toString();
            if (mapper.hidden(name) || !safeName(name)) continue;
            BasicFileAttributes a;
            try {
                a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                if (a.isSymbolicLink()) {
                    Path real = mapper.confine(p);
                    if (real == null) continue;
                    a = Files.readAttributes(real, BasicFileAttributes.class);
                    if (a.isDirectory()) continue;
                }
            } catch (IOException e) {
                continue; // a broken link or a name removed meanwhile: nothing to send
            }
            String entryName = prefix + name;
            if (a.isDirectory()) {
                ZipEntry folder = new ZipEntry(entryName + "/");
                folder.setLastModifiedTime(a.lastModifiedTime());
                zip.putNextEntry(folder);
                zip.closeEntry();
                files += add(zip, p, entryName + "/", mapper, depth + 1);
            } else if (a.isRegularFile()) {
                InputStream in;
                try {
                    in = Files.newInputStream(p);
                } catch (IOException e) {
                    LOG.log(System.Logger.Level.DEBUG, "file left out of a zip: {0}", e.toString());
                    continue; // unreadable: left out rather than failing the whole archive
                }
                try (in) {
                    ZipEntry entry = new ZipEntry(entryName);
                    entry.setLastModifiedTime(a.lastModifiedTime());
                    zip.setLevel(MediaTypes.compressible(MediaTypes.forFileName(name)) ? Deflater.DEFAULT_COMPRESSION : 0);
                    zip.putNextEntry(entry);
                    in.transferTo(zip);
                    zip.closeEntry();
                }
                files++;
            }
        }
        return files;
    }

    private static boolean safeName(String name) {
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '\\' || c < 0x20 || c == 0x7F) return false;
        }
        return true;
    }

    /**
     * @return a {@code Content-Disposition} value downloading {@code baseName}.zip: an ASCII {@code filename} for
     *         old clients and the exact name as {@code filename*} (RFC 6266 §4.3, RFC 8187)
     */
    public static String disposition(String baseName) {
        String name = baseName.isEmpty() ? "files" : baseName;
        StringBuilder ascii = new StringBuilder();
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            ascii.append(c >= 0x20 && c < 0x7F && c != '"' && c != '\\' && c != '%' ? c : '_');
        }
        return "attachment; filename=\"" + ascii + ".zip\"; filename*=UTF-8''"
                + dev.porter.http.internal.Targets.encodePathSegment(name + ".zip");
    }
}
