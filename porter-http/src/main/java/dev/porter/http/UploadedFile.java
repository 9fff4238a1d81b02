package dev.porter.http;

import java.nio.file.Path;

/**
 * A file part of a form, as {@link Multipart#form} stored it.
 *
 * @param name        the form field's name ({@code <input type=file name=...>})
 * @param fileName    the file name the client sent, as sent: not a safe path (see {@link Multipart})
 * @param contentType the part's Content-Type, {@code text/plain} when the client named none (RFC 7578 §4.4)
 * @param path        where the bytes are, until {@link FormData#close()} deletes the file (move it to keep it)
 * @param size        the file's length in bytes
 */
public record UploadedFile(String name, String fileName, String contentType, Path path, long size) {
}
