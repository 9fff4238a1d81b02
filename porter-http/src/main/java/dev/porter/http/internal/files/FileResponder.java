package dev.porter.http.internal.files;

import dev.porter.http.HttpException;
import dev.porter.http.Request;
import dev.porter.http.Response;
import dev.porter.http.Status;
import dev.porter.http.internal.DateCache;
import dev.porter.http.internal.DirectSend;
import dev.porter.http.internal.PreparedSend;
import dev.porter.http.internal.files.FileChoice.Variant;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Optional;

/**
 * Answers a request for one regular file of a static-file root: finds the variants on disk (the file and its
 * precompressed siblings), lets {@link FileChoice} decide, then writes what it chose: the whole file, one range,
 * several ranges, gzip on the fly, 304, 412 or 416. Immutable and thread-safe.
 */
public final class FileResponder {

    private static final System.Logger LOG = System.getLogger("dev.porter.http.StaticFiles");

    private final FileConfig config;
    private final PathMapper mapper;
    private final MetadataCache<SiblingKey, Optional<Variant>> siblings;
    private final OpenFiles openFiles;

    /**
     * @param config    what to serve and how
     * @param mapper    the handler's mapper, for links met on the way
     * @param openFiles the handler's open-file cache, where every file is opened
     */
    public FileResponder(FileConfig config, PathMapper mapper, OpenFiles openFiles) {
        this.openFiles = openFiles;
        this.siblings = new MetadataCache<>(config.metadataCache());
        this.config = config;
        this.mapper = mapper;
    }

    /**
     * Serves the index file of {@code dir} if it has one that may be served.
     *
     * @return false if there is none
     */
    public boolean index(Request request, Response response, Path dir) throws IOException {
        if (config.indexFile() == null) return false;
        Path index = dir.resolve(config.indexFile());
        OpenFile file;
        try {
            Path real = mapper.confine(index);
            if (real == null) return false;
            file = openFiles.acquire(real);
        } catch (NoSuchFileException e) {
            return false;
        } catch (IOException e) {
            throw failure(e);
        }
        try {
            if (!file.attributes().isRegularFile()) return false;
            send(request, response, file, config.indexFile());
        } finally {
            openFiles.release(file);
        }
        return true;
    }

    /** Sends the regular file {@code real} (confined to the root), opened through the cache. */
    public void send(Request request, Response response, Path real, String name) throws IOException {
        OpenFile file = open(real);
        try {
            if (!file.attributes().isRegularFile()) throw new HttpException(Status.NOT_FOUND);
            send(request, response, file, name);
        } finally {
            openFiles.release(file);
        }
    }

    /**
     * Sends the regular file {@code file} (already confined to the root).
     *
     * @param name the file name the request used, which decides the media type
     */
    public void send(Request request, Response response, OpenFile file, String name) throws IOException {
        Path path = file.path();
        BasicFileAttributes attrs = file.attributes();
        Variant identity = file.identity();
        Variant br = config.precompressed() ? sibling(path, ".br", "br", attrs) : null;
        Variant gz = config.precompressed() ? sibling(path, ".gz", "gzip", attrs) : null;
        long now = System.currentTimeMillis() / 1000;
        String method = request.method();
        answer(FileChoice.choose(method, request.headers(), name, identity, br, gz, config, now), method, response, file);
    }

    /**
     * Writes what was chosen. The lengths are those stat'ed for the validators: a file that grew since is cut
     * there, matching its ETag; one that shrank fails the response, which closes the connection rather than
     * send fewer bytes than announced.
     */
    private void answer(FileChoice choice, String method, Response response, OpenFile identity) throws IOException {
        Variant chosen = choice.variant();
        if (choice.precondition() == Conditionals.Outcome.PROCEED && choice.ranges() instanceof Ranges.Ignore
                && !chosen.onTheFly() && response instanceof PreparedSend prepared
                && sendFromMemory(choice, prepared, identity)) {
            return;
        }
        response.setHeader("X-Content-Type-Options", "nosniff");
        // Added, not set: a filter's Vary (Origin, for CORS) must stay.
        if (choice.varies()) response.header("Vary", "Accept-Encoding");
        if (config.cacheControl() != null) response.setHeader("Cache-Control", config.cacheControl());
        response.setHeader("ETag", chosen.etag());
        if (choice.precondition().answer(response)) return;
        response.setHeader("Last-Modified", DateCache.format(chosen.modified()));
        String type = choice.type();
        if (chosen.onTheFly()) {
            response.setHeader("Content-Type", type);
            response.setHeader("Content-Encoding", "gzip");
            if (!method.equals("GET")) {
                response.stream().close(); // HEAD: the same header fields, and no reason to compress anything
                return;
            }
            FileBodies.gzip(response, identity.channel(), chosen.length());
            return;
        }
        response.setHeader("Accept-Ranges", "bytes");
        long length = chosen.length();
        // The identity variant is the file already open; a precompressed sibling comes from the cache too.
        OpenFile file = chosen.path().equals(identity.path()) ? identity : open(chosen.path());
        try {
            FileChannel ch = file.channel();
            if (ch == null) throw new HttpException(Status.NOT_FOUND); // the sibling became a folder meanwhile
            switch (choice.ranges()) {
                case Ranges.Ignore whole -> {
                    response.setHeader("Content-Type", type);
                    if (chosen.encoding() != null) response.setHeader("Content-Encoding", chosen.encoding());
                    sendBody(response, file, ch, 0, length);
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
                    sendBody(response, file, ch, slice.first(), slice.length());
                }
                case Ranges.Satisfiable s -> {
                    response.status(Status.PARTIAL_CONTENT);
                    FileBodies.multipart(response, ch, s.slices(), length, type);
                }
            }
        } finally {
            if (file != identity) openFiles.release(file);
        }
    }

    /**
     * Sends part of {@code file} as the body: from direct memory where the transport would copy it anyway (HTTP/2,
     * TLS) and the cache holds it, else from the descriptor (sendfile on plain HTTP/1.1).
     */
    private void sendBody(Response response, OpenFile file, FileChannel ch, long position, long length) throws IOException {
        if (response instanceof DirectSend direct && direct.copiesFiles()) {
            ByteBuffer content = openFiles.direct(file);
            if (content != null && position + length <= content.capacity()) {
                direct.sendDirect(content.duplicate().limit((int) (position + length)).position((int) position));
                return;
            }
        }
        response.sendFile(ch, position, length);
    }

    /**
     * Sends a whole variant held in memory with its header fields rendered once: one copy of head and body into
     * the output, no read, no per-field work.
     *
     * @return false if the variant is not held in memory or the response cannot take prepared fields
     */
    private boolean sendFromMemory(FileChoice choice, PreparedSend response, OpenFile identity) throws IOException {
        Variant chosen = choice.variant();
        OpenFile file = chosen.path().equals(identity.path()) ? identity : open(chosen.path());
        try {
            byte[] body = file.content();
            if (body == null || body.length != chosen.length()) return false;
            byte[] fields = file.preparedHead(choice.type(), chosen.encoding(), choice.varies());
            if (fields == null) {
                fields = render(choice);
                file.preparedHead(new OpenFile.PreparedHead(choice.type(), chosen.encoding(), choice.varies(), fields));
            }
            return response.sendPrepared(fields, body);
        } finally {
            if (file != identity) openFiles.release(file);
        }
    }

    /** @return the header lines of a 200 for {@code choice}, the same fields {@link #answer} sets one by one */
    private byte[] render(FileChoice choice) {
        Variant v = choice.variant();
        StringBuilder b = new StringBuilder(256).append("X-Content-Type-Options: nosniff\r\n");
        if (choice.varies()) b.append("Vary: Accept-Encoding\r\n");
        if (config.cacheControl() != null) b.append("Cache-Control: ").append(config.cacheControl()).append("\r\n");
        b.append("ETag: ").append(v.etag()).append("\r\nLast-Modified: ").append(DateCache.format(v.modified()))
                .append("\r\nAccept-Ranges: bytes\r\nContent-Type: ").append(choice.type()).append("\r\n");
        if (v.encoding() != null) b.append("Content-Encoding: ").append(v.encoding()).append("\r\n");
        return b.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    /** @return the precompressed sibling {@code path + suffix} if it may be served and is not older than the file */
    private Variant sibling(Path path, String suffix, String encoding, BasicFileAttributes original) throws IOException {
        return siblings.get(new SiblingKey(path, suffix, original.lastModifiedTime().toMillis()),
                k -> Optional.ofNullable(findSibling(path, suffix, encoding, original))).orElse(null);
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
            return Variant.of(s, a, encoding);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            // Unreadable or vanished sibling: the uncompressed file is still a correct answer.
            LOG.log(System.Logger.Level.DEBUG, "precompressed sibling {0} not usable: {1}", s, e.toString());
            return null;
        }
    }

    private OpenFile open(Path p) throws IOException {
        try {
            return openFiles.acquire(p);
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
