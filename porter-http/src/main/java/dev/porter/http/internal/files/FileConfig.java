package dev.porter.http.internal.files;

import java.time.Duration;

/**
 * What {@link FileResponder} needs of a static-file handler's options, handed down by the public
 * {@code StaticFiles} so that this package never depends back on the class that uses it. Values are validated
 * there.
 *
 * @param indexFile     the file served for a directory, or null for none
 * @param cacheControl  the {@code Cache-Control} value sent with files, or null for none
 * @param precompressed look for fresh {@code .br} and {@code .gz} siblings
 * @param gzip          gzip compressible types on the fly when the client accepts it
 * @param gzipMinSize   smallest file gzipped on the fly, in bytes
 * @param metadataCache how long the siblings found for a file are reused
 */
public record FileConfig(String indexFile, String cacheControl, boolean precompressed, boolean gzip,
                         long gzipMinSize, Duration metadataCache) {
}
