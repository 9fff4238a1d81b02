package dev.porter.http;

import dev.porter.http.internal.multipart.MultipartParser;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a {@code multipart/form-data} request body (RFC 7578): what an HTML {@code <form enctype="multipart/form-data">}
 * and {@code curl -F} send, over HTTP/1.1 (Content-Length or chunked) and HTTP/2 alike.
 *
 * <p>Two ways in. {@link #parts(Request)} streams: it returns a {@link MultipartReader} whose parts are read one
 * after the other, each part's body an {@code InputStream} straight off the connection, so a file of any size
 * passes through a 16 KiB buffer and is never held whole. {@link #form(Request)} is the convenience for ordinary
 * forms: it reads the whole body at once, text fields as strings (each at most {@link Limits#maxFieldBytes()}),
 * files into temporary files that {@link FormData#close()} deletes.
 *
 * <pre>{@code
 * router.post("/upload", (req, res) -> {
 *     try (FormData form = Multipart.form(req)) {
 *         UploadedFile photo = form.file("photo");
 *         Files.move(photo.path(), albums.resolve(UUID.randomUUID() + ".jpg"));
 *         res.send("thanks, " + form.field("name") + "\n");
 *     }
 * });
 * }</pre>
 *
 * <p>Bad input throws {@link HttpException}, so a handler that lets it propagate answers correctly: 415 when the
 * request's Content-Type is not {@code multipart/form-data}; 400 for a body that is not a well-framed form (no valid
 * boundary, a missing close delimiter, a part without {@code Content-Disposition: form-data; name=...}, more parts
 * than {@link Limits#maxParts()}, a part's header section over {@link Limits#maxPartHeaderBytes()}); 413 for a body
 * over the server's {@link HttpConfig#maxBodySize()} (it holds for the whole body, files included) or a text field
 * over {@link Limits#maxFieldBytes()}; 415 for a charset the JVM does not know. Over HTTP/1.1 the connection closes
 * after a 400 or 413 as after any malformed message (see docs/http.md); over HTTP/2 only the stream ends.
 *
 * <p>File names are reported as sent: browsers send them as raw UTF-8 with {@code "}, CR and LF written as
 * {@code %22}, {@code %0D} and {@code %0A} (the HTML standard's encoding, which cannot be told apart from a name
 * that holds those three characters, so it is not undone). A name is never a safe path: it may hold {@code /},
 * {@code ..} or anything else; choose the stored name yourself.
 */
public final class Multipart {

    private Multipart() {
    }

    /**
     * What a form may hold beyond the server's body limit. Immutable.
     *
     * @param maxParts           most parts in one body (more: 400). Default 1000
     * @param maxPartHeaderBytes largest header section of one part, its lines and the empty line that ends them
     *                           (larger: 400). A browser's is about 150 bytes. Default 8192
     * @param maxFieldBytes      largest text read by {@link FormPart#text()}, so by {@link #form} for each field that
     *                           is not a file (larger: 413). Default 64 KiB
     */
    public record Limits(int maxParts, int maxPartHeaderBytes, int maxFieldBytes) {

        /** 1000 parts, 8 KiB of headers per part, 64 KiB per text field. */
        public static final Limits DEFAULTS = new Limits(MultipartParser.MAX_PARTS, MultipartParser.MAX_HEADER_BYTES, 64 * 1024);

        /** Validates the limits. */
        public Limits {
            if (maxParts < 1) throw new IllegalArgumentException("maxParts must be >= 1: " + maxParts);
            if (maxPartHeaderBytes < 64) throw new IllegalArgumentException("maxPartHeaderBytes must be >= 64: " + maxPartHeaderBytes);
            if (maxFieldBytes < 0) throw new IllegalArgumentException("maxFieldBytes must be >= 0: " + maxFieldBytes);
        }

        /** @return a copy with {@code n} as {@link #maxParts()} */
        public Limits withMaxParts(int n) {
            return new Limits(n, maxPartHeaderBytes, maxFieldBytes);
        }

        /** @return a copy with {@code n} as {@link #maxPartHeaderBytes()} */
        public Limits withMaxPartHeaderBytes(int n) {
            return new Limits(maxParts, n, maxFieldBytes);
        }

        /** @return a copy with {@code n} as {@link #maxFieldBytes()} */
        public Limits withMaxFieldBytes(int n) {
            return new Limits(maxParts, maxPartHeaderBytes, n);
        }
    }

    /** {@link #parts(Request, Limits)} with {@link Limits#DEFAULTS}. */
    public static MultipartReader parts(Request request) {
        return parts(request, Limits.DEFAULTS);
    }

    /**
     * Starts reading the request's body as a form, part by part. It reads {@link Request#body()}: call it once,
     * and read the body no other way.
     *
     * @return the reader; nothing is read before its first {@link MultipartReader#next()}
     * @throws HttpException 415 if the Content-Type is not {@code multipart/form-data}, 400 if it has no valid
     *                       boundary parameter (RFC 7578 §4.1, RFC 2046 §5.1.1: 1 to 70 characters)
     */
    public static MultipartReader parts(Request request, Limits limits) {
        String boundary = MultipartParser.requireBoundary(request.header("Content-Type"), "expected a multipart/form-data body");
        return new MultipartReader(request.body(), boundary, limits);
    }

    /** {@link #form(Request, Limits, Path)} with {@link Limits#DEFAULTS}, files in the JVM's temporary folder. */
    public static FormData form(Request request) throws IOException {
        return form(request, Limits.DEFAULTS, Path.of(System.getProperty("java.io.tmpdir")));
    }

    /**
     * Reads the whole form: each text part as a string of at most {@link Limits#maxFieldBytes()} bytes, each file
     * part into a new file of {@code directory} (made as {@link Files#createTempFile} makes one: a fresh name, on
     * POSIX systems readable by the owner only). A file input left empty, which a browser sends as a part with an
     * empty file name and no data, is left out. Files stay until {@link FormData#close()}, which deletes those still
     * where they were written: move one elsewhere to keep it. If reading fails, the files written so far are deleted
     * before the exception leaves.
     *
     * @param directory where files are written; it must exist
     * @throws HttpException as {@link #parts(Request, Limits)} and {@link MultipartReader#next()} say
     * @throws IOException   if the body cannot be read or a file cannot be written
     */
    public static FormData form(Request request, Limits limits, Path directory) throws IOException {
        MultipartReader reader = parts(request, limits);
        Map<String, List<String>> fields = new LinkedHashMap<>();
        List<UploadedFile> files = new ArrayList<>();
        Path writing = null;
        try {
            for (FormPart p; (p = reader.next()) != null; ) {
                if (!p.isFile()) {
                    fields.computeIfAbsent(p.name(), k -> new ArrayList<>(1)).add(p.text());
                    continue;
                }
                writing = Files.createTempFile(directory, "upload-", ".part");
                long size;
                try (OutputStream out = Files.newOutputStream(writing); InputStream in = p.body()) {
                    size = in.transferTo(out);
                }
                if (p.fileName().isEmpty() && size == 0) {
                    Files.delete(writing);
                } else {
                    files.add(new UploadedFile(p.name(), p.fileName(), p.contentType(), writing, size));
                }
                writing = null;
            }
        } catch (IOException | RuntimeException | Error e) {
            if (writing != null) files.add(new UploadedFile("", "", "", writing, 0));
            FormData.delete(files, e);
            throw e;
        }
        return new FormData(fields, files);
    }
}
