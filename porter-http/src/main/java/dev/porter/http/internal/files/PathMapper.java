package dev.porter.http.internal.files;

import dev.porter.http.HttpException;
import dev.porter.http.Status;
import dev.porter.http.internal.Targets;

import java.io.IOException;
import java.nio.file.FileSystem;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * Maps the raw (still percent-encoded) path of a request, relative to where the files are mounted, to a file
 * under a root directory, so that no request can name anything outside it.
 *
 * <p>The rules, and why:
 * <ul>
 *   <li>The path is split on {@code /} <em>before</em> decoding and each segment is percent-decoded exactly once
 *       (RFC 3986 §2.4). So {@code %2F} can never become a separator, and {@code %252e%252e} names a file literally
 *       called {@code %2e%2e}, not {@code ..}.</li>
 *   <li>After decoding, a segment that is {@code .} or {@code ..}, or holds {@code /} (from {@code %2F}),
 *       {@code \} (a separator on Windows and in browsers' URL parsing), NUL or another control character, is
 *       refused with 400: no file can have such a name, so the request is malformed or hostile. Malformed
 *       percent-encoding is refused the same way.</li>
 *   <li>Empty segments ({@code a//b}) are skipped, as a shell would; a leading {@code //} therefore cannot make the
 *       path absolute. Each segment must resolve to exactly one more name under the previous path, and the result
 *       must still start with the root: a second line of defence against anything platform-specific.</li>
 *   <li>Dotfiles ({@code .git}, {@code .env}) answer 404 unless allowed, so their existence is not revealed;
 *       {@code .well-known} (RFC 8615) is public by definition and always allowed.</li>
 *   <li>Symbolic links are followed only while the real path stays under the real root, unless following links
 *       out of the root is allowed ({@link #confine}); a link that leaves it answers 404.</li>
 * </ul>
 * Immutable and thread-safe. What remains outside its reach: a local user who can write under the root can swap a
 * checked path for a link between the check and the open; the root is assumed to be under the server owner's
 * control.
 */
public final class PathMapper {

    private final Path root;
    private final boolean hideDotfiles;
    private final boolean followExternalLinks;
    private final boolean windows;

    /**
     * @param realRoot            the root directory as a real path ({@link Path#toRealPath})
     * @param hideDotfiles        answer 404 for names starting with a dot
     * @param followExternalLinks follow symbolic links whose target lies outside the root
     */
    public PathMapper(Path realRoot, boolean hideDotfiles, boolean followExternalLinks) {
        this.root = realRoot;
        this.hideDotfiles = hideDotfiles;
        this.followExternalLinks = followExternalLinks;
        this.windows = realRoot.getFileSystem().getSeparator().equals("\\");
    }

    /** @return the real root directory */
    public Path root() {
        return root;
    }

    /**
     * Maps a raw relative path ({@code a/b%20c.txt}, no leading slash needed) to a path under the root. The file
     * need not exist; {@link #confine} checks links once it does.
     *
     * @throws HttpException 400 for a path that cannot name a file, 404 for a hidden name
     */
    public Path map(String rawRelative) {
        Path p = root;
        FileSystem fs = root.getFileSystem();
        int i = 0;
        int n = rawRelative.length();
        while (i <= n) {
            int end = rawRelative.indexOf('/', i);
            if (end < 0) end = n;
            if (end > i) {
                String seg = Targets.decode(rawRelative.substring(i, end), false);
                if (seg == null) throw new HttpException(Status.BAD_REQUEST, "malformed percent-encoding in path");
                checkSegment(seg);
                Path next;
                try {
                    Path name = fs.getPath(seg);
                    if (name.isAbsolute() || name.getRoot() != null || name.getNameCount() != 1) {
                        throw new HttpException(Status.BAD_REQUEST, "path segment is not a plain name");
                    }
                    next = p.resolve(name);
                } catch (InvalidPathException e) {
                    throw new HttpException(Status.BAD_REQUEST, "path segment is not a valid file name");
                }
                if (next.getNameCount() != p.getNameCount() + 1 || !next.startsWith(root)) {
                    throw new HttpException(Status.BAD_REQUEST, "path leaves the root");
                }
                p = next;
            }
            i = end + 1;
        }
        return p;
    }

    private void checkSegment(String seg) {
        if (seg.equals(".") || seg.equals("..")) {
            throw new HttpException(Status.BAD_REQUEST, "dot segments are not allowed in the path");
        }
        for (int k = 0; k < seg.length(); k++) {
            char c = seg.charAt(k);
            if (c == '/') throw new HttpException(Status.BAD_REQUEST, "encoded slash in the path");
            if (c == '\\') throw new HttpException(Status.BAD_REQUEST, "backslash in the path");
            if (c < 0x20 || c == 0x7F) throw new HttpException(Status.BAD_REQUEST, "control character in the path");
            // Windows: ':' opens alternate data streams and drive-relative paths.
            if (windows && c == ':') throw new HttpException(Status.BAD_REQUEST, "colon in the path");
        }
        // Windows drops trailing dots and spaces, which would let "secret.txt." dodge name-based rules.
        if (windows && (seg.endsWith(".") || seg.endsWith(" "))) {
            throw new HttpException(Status.BAD_REQUEST, "path segment ends with a dot or space");
        }
        if (hidden(seg)) throw new HttpException(Status.NOT_FOUND);
    }

    /**
     * @return true if a request can name {@code name} as a path segment: not hidden, and none of the characters
     *         {@link #map} refuses (a backslash or a control character is legal in a Linux file name, but a link to
     *         it would only answer 400, so a listing leaves it out)
     */
    public boolean servable(String name) {
        try {
            checkSegment(name);
            return true;
        } catch (HttpException e) {
            return false;
        }
    }

    /** @return true if {@code name} is a dotfile that is hidden by this mapper's rules, or an upload in progress */
    public boolean hidden(String name) {
        return hideDotfiles && isHidden(name) || isUploadPart(name);
    }

    private static boolean isHidden(String name) {
        return name.startsWith(".") && !name.equals(".well-known");
    }

    /** An upload's temporary file ({@link StoredFile}) holds a part of it: hidden even where dotfiles are shown. */
    private static boolean isUploadPart(String name) {
        return name.startsWith(StoredFile.TEMP_PREFIX) && name.endsWith(".part");
    }

    /**
     * Checks where an existing path really leads: with external links not allowed, its real path must lie under
     * the real root, and must not pass through a hidden name under the root (a dotfile when they are hidden, an
     * upload in progress always), so a link cannot expose what a direct request could not.
     *
     * @return the path to open (the real path when it was resolved), or null if the path must not be served
     * @throws IOException if the path does not exist (a broken link included)
     */
    public Path confine(Path mapped) throws IOException {
        if (followExternalLinks) return mapped;
        Path real = mapped.toRealPath();
        if (!real.startsWith(root)) return null;
        for (Path name : root.relativize(real)) {
            if (hidden(name.toString())) return null;
        }
        return real;
    }
}
