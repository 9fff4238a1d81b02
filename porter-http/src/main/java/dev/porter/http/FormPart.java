package dev.porter.http;

import dev.porter.http.internal.multipart.HeaderParams;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;

/**
 * One part of a {@code multipart/form-data} body, from {@link MultipartReader#next()}: a text field, or a file
 * when it has a file name. Its {@link #body()} reads straight off the request and is valid only until the next
 * call of {@code next()}, which skips what was not read; the names and headers stay valid. Not thread-safe.
 */
public final class FormPart {

    private final MultipartReader reader;
    private final String name;
    private final String fileName;
    private final String contentType;
    private final Headers headers;
    private final InputStream body;

    FormPart(MultipartReader reader, String name, String fileName, String contentType, Headers headers, InputStream body) {
        this.reader = reader;
        this.name = name;
        this.fileName = fileName;
        this.contentType = contentType;
        this.headers = headers;
        this.body = body;
    }

    /** @return the field's name, the {@code name} parameter of the part's Content-Disposition (RFC 7578 §4.2) */
    public String name() {
        return name;
    }

    /**
     * @return the {@code filename} parameter as sent (or, when only {@code filename*} came, that decoded), empty
     *         for a file input left empty; null for a part that is not a file. Not a safe path: see {@link Multipart}
     */
    public String fileName() {
        return fileName;
    }

    /** @return true if the part carries a file name, so is a file */
    public boolean isFile() {
        return fileName != null;
    }

    /** @return the part's Content-Type, or {@code text/plain} when it has none (RFC 7578 §4.4) */
    public String contentType() {
        return contentType == null ? "text/plain" : contentType;
    }

    /** @return every header field of the part as sent (Content-Disposition, Content-Type, any other) */
    public Headers headers() {
        return headers;
    }

    /**
     * The part's content: it returns -1 at the part's end. Reading it after the next part was asked for throws
     * {@link IllegalStateException}; a malformed body or one over a limit throws {@link HttpException} from a read,
     * as {@link MultipartReader#next()} says. Closing it does nothing.
     *
     * @return the same stream on every call
     */
    public InputStream body() {
        return body;
    }

    /**
     * Reads the rest of the part as text. The charset is the part's own ({@code charset} parameter of its
     * Content-Type), else the one the form's {@code _charset_} field named (RFC 7578 §4.6), else UTF-8 (what
     * browsers send for a page in UTF-8); malformed bytes become U+FFFD.
     *
     * @throws HttpException 413 if the rest is longer than {@link Multipart.Limits#maxFieldBytes()}; 415 for a
     *                       charset the JVM does not support
     */
    public String text() throws IOException {
        Charset charset = charset(contentType, reader.formCharset());
        return new String(reader.readField(body), charset);
    }

    /** @return the {@code charset} parameter of {@code type}, or {@code fallback} when it names none */
    static Charset charset(String type, Charset fallback) {
        HeaderParams p = type == null ? null : HeaderParams.parse(type);
        String name = p == null ? null : p.get("charset");
        return name == null ? fallback : MultipartReader.charsetNamed(name);
    }

    @Override
    public String toString() {
        return "FormPart[name=" + name + (fileName == null ? "" : ", fileName=" + fileName) + ", contentType=" + contentType() + "]";
    }
}
