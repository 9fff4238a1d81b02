package dev.porter.http.internal;

import dev.porter.http.HttpException;
import dev.porter.http.Request;
import dev.porter.http.Response;
import dev.porter.http.StaticFiles;
import dev.porter.http.Status;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.concurrent.TimeUnit;

/**
 * Answers a request for one regular file of a {@link StaticFiles} root: picks the representation (the file, a
 * precompressed sibling, or gzip on the fly), evaluates the preconditions, then sends the whole file, one range,
 * several ranges, 304, 412 or 416. Immutable and thread-safe.
 */
public final class FileResponder {

    private static final System.Logger LOG = System.getLogger("dev.porter.http.StaticFiles");

    private final StaticFiles.Options options;
    private final PathMapper mapper;

    /**
     * One way to send the file.
     *
     * @param path     the file to read
     * @param length   its length in bytes
     * @param etag     its entity-tag
     * @param modified its modification time, seconds since the epoch
     * @param encoding the Content-Encoding, or null for identity
     * @param onTheFly true to gzip {@code path} while sending
     */
    private record Variant(Path path, long length, String etag, long modified, String encoding, boolean onTheFly) {
        Conditionals.Validators validators() {
            return new Conditionals.Validators(etag, modified);
        }
    }

    /** @param options the handler's options; @param mapper the handler's mapper, for links met on the way */
    private final MetadataCache<SiblingKey, java.util.Optional<Variant>> siblings;

    public FileResponder(StaticFiles.Options options, PathMapper mapper) {
        this.siblings = new MetadataCache<>(options.metadataCache());
        this.options = options;
        this.mapper = mapper;
    }

    /**
     * Serves the index file of {@code dir} if it has one that may be served.
     *
     * @return false if there is none
     */
    public boolean index(Request request, Response response, Path dir) throws IOException {
        if (options.indexFile() == null) return false;
        Path index = dir.resolve(options.indexFile());
        Path real;
        BasicFileAttributes attrs;
        try {
            real = mapper.confine(index);
            if (real == null) return false;
            attrs = Files.readAttributes(real, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            return false;
        } catch (IOException e) {
            throw failure(e);
        }
        if (!attrs.isRegularFile()) return false;
        send(request, response, real, options.indexFile(), attrs);
        return true;
    }

    /**
     * Sends the regular file {@code path} (already confined to the root).
     *
     * @param name the file name the request used, which decides the media type
     */
    public void send(Request request, Response response, Path path, String name, BasicFileAttributes attrs)
            throws IOException {
        String type = MediaTypes.forFileName(name);
        boolean get = request.method().equals("GET");
        String range = get ? request.header("Range") : null; // Range is defined for GET only (RFC 9110 §14.2)
        long now = System.currentTimeMillis() / 1000;

        Variant identity = new Variant(path, attrs.size(), etag(attrs, ""), seconds(attrs.lastModifiedTime()), null, false);
        Variant chosen = identity;
        boolean varies = false;
        ContentCodings.Accepted accepted = null;
        if (options.precompressed()) {
            Variant br = sibling(path, ".br", "br", attrs);
            Variant gz = sibling(path, ".gz", "gzip", attrs);
            if (br != null || gz != null) {
                varies = true;
                accepted = ContentCodings.parse(request.headers().all("Accept-Encoding"));
                int qbr = br == null ? 0 : accepted.br();
                int qgz = gz == null ? 0 : accepted.gzip();
                if (range == null && qbr > 0 && qbr >= qgz) chosen = br;
                else if (range == null && qgz > 0) chosen = gz;
            }
        }
        if (chosen == identity && options.gzip() && MediaTypes.compressible(type) && attrs.size() >= options.gzipMinSize()) {
            varies = true;
            if (accepted == null) accepted = ContentCodings.parse(request.headers().all("Accept-Encoding"));
            if (range == null && accepted.gzip() > 0) {
                // Compressed output is not byte-for-byte fixed across JDKs, so its tag is weak (RFC 9110 §8.8.1).
                chosen = new Variant(path, -1, "W/" + identity.etag.substring(0, identity.etag.length() - 1) + "-gzip\"",
                        identity.modified, "gzip", true);
            }
        }

        response.setHeader("X-Content-Type-Options", "nosniff");
        if (varies) response.setHeader("Vary", "Accept-Encoding");
        if (options.cacheControl() != null) response.setHeader("Cache-Control", options.cacheControl());
        response.setHeader("ETag", chosen.etag);

        switch (Conditionals.evaluate(request, chosen.validators(), now)) {
            case NOT_MODIFIED -> {
                // 304 carries the validators and cache fields of a 200, no content metadata (RFC 9110 §15.4.5).
                response.status(Status.NOT_MODIFIED);
                response.send(new byte[0]);
                return;
            }
            case PRECONDITION_FAILED -> {
                response.send(Status.PRECONDITION_FAILED, "Precondition Failed\n");
                return;
            }
            case PROCEED -> {
                // go on below
            }
        }
        response.setHeader("Last-Modified", DateCache.format(chosen.modified));
        if (chosen.onTheFly) {
            response.setHeader("Content-Type", type);
            response.setHeader("Content-Encoding", "gzip");
            if (!get) {
                response.stream().close(); // HEAD: the same header fields, and no reason to compress anything
                return;
            }
            try (FileChannel ch = open(chosen.path)) {
                FileBodies.gzip(response, ch, attrs.size());
            }
            return;
        }
        response.setHeader("Accept-Ranges", "bytes");
        try (FileChannel ch = open(chosen.path)) {
            long length = ch.size();
            Ranges.Outcome outcome = range != null && Conditionals.rangeApplies(request.header("If-Range"), chosen.validators(), now)
                    ? Ranges.evaluate(range, length) : new Ranges.Ignore();
            switch (outcome) {
                case Ranges.Ignore ignore -> {
                    response.setHeader("Content-Type", type);
                    if (chosen.encoding != null) response.setHeader("Content-Encoding", chosen.encoding);
                    response.sendFile(ch, 0, length);
                }
                case Ranges.Unsatisfiable unsatisfiable -> {
                    response.status(Status.RANGE_NOT_SATISFIABLE);
                    response.setHeader("Content-Range", "bytes */" + length);
                    response.send("Range Not Satisfiable\n");
                }
                case Ranges.Satisfiable s when s.slices().size() == 1 -> {
                    Ranges.Slice slice = s.slices().get(0);
                    response.status(Status.PARTIAL_CONTENT);
                    response.setHeader("Content-Type", type);
                    response.setHeader("Content-Range", slice.contentRange(length));
                    response.sendFile(ch, slice.first(), slice.length());
                }
                case Ranges.Satisfiable s -> {
                    response.status(Status.PARTIAL_CONTENT);
                    FileBodies.multipart(response, ch, s.slices(), length, type);
                }
            }
        }
    }

    /** @return the precompressed sibling {@code path + suffix} if it may be served and is not older than the file */
    private Variant sibling(Path path, String suffix, String encoding, BasicFileAttributes original) throws IOException {
        return siblings.get(new SiblingKey(path, suffix, original.lastModifiedTime().toMillis()),
                k -> java.util.Optional.ofNullable(findSibling(path, suffix, encoding, original))).orElse(null);
    }

    private record SiblingKey(Path path, String suffix, long modified) {
    }

    private Variant findSibling(Path path, String suffix, String encoding, BasicFileAttributes original) throws IOException {
        Path s = path.resolveSibling(path.getFileName().toString() + suffix);
        try {
            BasicFileAttributes a = Files.readAttributes(s, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (a.isSymbolicLink()) {
                Path real = mapper.confine(s);
                if (real == null) return null;
                s = real;
                a = Files.readAttributes(real, BasicFileAttributes.class);
            }
            // A sibling older than the file was left behind by an earlier build: sending it would serve stale content.
            if (!a.isRegularFile() || a.lastModifiedTime().compareTo(original.lastModifiedTime()) < 0) return null;
            return new Variant(s, a.size(), etag(a, "-" + encoding), seconds(a.lastModifiedTime()), encoding, false);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            // Unreadable or vanished sibling: the uncompressed file is still a correct answer.
            LOG.log(System.Logger.Level.DEBUG, "precompressed sibling {0} not usable: {1}", s, e.toString());
            return null;
        }
    }

    /** A strong entity-tag from size and modification time (microseconds): it changes whenever the file does. */
    private static String etag(BasicFileAttributes a, String suffix) {
        return "\"" + Long.toHexString(a.size()) + "-" + Long.toHexString(a.lastModifiedTime().to(TimeUnit.MICROSECONDS))
                + suffix + "\"";
    }

    private static long seconds(FileTime t) {
        return t.to(TimeUnit.SECONDS);
    }

    private static FileChannel open(Path p) throws IOException {
        try {
            return FileChannel.open(p, StandardOpenOption.READ);
        } catch (IOException e) {
            throw failure(e);
        }
    }

    /**
     * Maps a file-system failure to the answer: 403 for a file we may not read, 404 for everything else (missing,
     * vanished, a file used as a directory, a name too long, a loop of links) — none of which a client can fix
     * by asking differently, and none of which should reveal more. An I/O error that is not about a path
     * (a failing disk) is rethrown: the server answers 500 and logs it.
     */
    public static HttpException failure(IOException e) throws IOException {
        if (!(e instanceof FileSystemException)) throw e;
        if (e instanceof AccessDeniedException) return new HttpException(Status.FORBIDDEN);
        LOG.log(System.Logger.Level.DEBUG, "static file not served: {0}", e.toString());
        return new HttpException(Status.NOT_FOUND);
    }
}
