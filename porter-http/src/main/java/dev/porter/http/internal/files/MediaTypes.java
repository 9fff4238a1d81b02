package dev.porter.http.internal.files;

import java.util.HashMap;
import java.util.Map;

/**
 * The built-in table of common web media types, looked up by file-name extension (case-insensitive). Text types
 * carry {@code charset=utf-8}: browsers otherwise guess the charset of text and of scripts, and guess wrong for
 * UTF-8 files without a BOM (RFC 9110 §8.3.2). Unknown extensions get {@code application/octet-stream}, which
 * never lets a browser render or execute a file it does not know (together with {@code nosniff}).
 */
public final class MediaTypes {

    /** The type of a file whose extension is not in the table. */
    public static final String DEFAULT = "application/octet-stream";

    private static final String UTF8 = "; charset=utf-8";
    private static final Map<String, String> BY_EXTENSION = new HashMap<>(128);

    static {
        text("text/html", "html", "htm");
        text("application/xhtml+xml", "xhtml");
        text("text/css", "css");
        text("text/javascript", "js", "mjs", "cjs"); // RFC 9239: text/javascript is the one type for scripts
        text("application/json", "json", "map");
        text("application/ld+json", "jsonld");
        text("application/manifest+json", "webmanifest");
        text("application/xml", "xml", "xsl", "xsd");
        text("application/rss+xml", "rss");
        text("application/atom+xml", "atom");
        text("text/plain", "txt", "text", "log", "conf", "ini");
        text("text/markdown", "md", "markdown");
        text("text/csv", "csv");
        text("text/tab-separated-values", "tsv");
        text("text/calendar", "ics");
        text("text/vtt", "vtt");
        text("application/yaml", "yaml", "yml");
        text("application/toml", "toml");
        binary("image/svg+xml", "svg");
        binary("image/png", "png");
        binary("image/apng", "apng");
        binary("image/jpeg", "jpg", "jpeg", "jfif", "pjpeg", "pjp");
        binary("image/gif", "gif");
        binary("image/webp", "webp");
        binary("image/avif", "avif");
        binary("image/heic", "heic");
        binary("image/jxl", "jxl");
        binary("image/bmp", "bmp");
        binary("image/tiff", "tif", "tiff");
        binary("image/x-icon", "ico", "cur");
        binary("font/woff", "woff");
        binary("font/woff2", "woff2");
        binary("font/ttf", "ttf");
        binary("font/otf", "otf");
        binary("application/vnd.ms-fontobject", "eot");
        binary("application/wasm", "wasm");
        binary("application/pdf", "pdf");
        binary("video/mp4", "mp4", "m4v");
        binary("video/webm", "webm");
        binary("video/ogg", "ogv");
        binary("video/quicktime", "mov");
        binary("video/x-matroska", "mkv");
        binary("video/mp2t", "ts"); // an MPEG transport stream (HLS segments), as nginx: TypeScript is never run raw
        binary("application/vnd.apple.mpegurl", "m3u8"); // an HLS playlist (RFC 8216 §4)
        binary("audio/mpeg", "mp3");
        binary("audio/ogg", "ogg", "oga");
        binary("audio/opus", "opus");
        binary("audio/wav", "wav");
        binary("audio/flac", "flac");
        binary("audio/mp4", "m4a");
        binary("audio/aac", "aac");
        binary("application/zip", "zip");
        binary("application/gzip", "gz", "tgz");
        binary("application/x-tar", "tar");
        binary("application/x-bzip2", "bz2");
        binary("application/x-xz", "xz");
        binary("application/zstd", "zst");
        binary("application/x-7z-compressed", "7z");
        binary("application/java-archive", "jar");
        binary("application/epub+zip", "epub");
    }

    private MediaTypes() {
    }

    private static void text(String type, String... extensions) {
        for (String e : extensions) BY_EXTENSION.put(e, type + UTF8);
    }

    private static void binary(String type, String... extensions) {
        for (String e : extensions) BY_EXTENSION.put(e, type);
    }

    /**
     * @param fileName a file name (not a path); its extension is what follows the last dot
     * @return the media type for the name, with {@code charset=utf-8} for text types, or {@link #DEFAULT}
     */
    public static String forFileName(String fileName) {
        int dot = fileName.lastIndexOf('.');
        if (dot < 0 || dot == fileName.length() - 1) return DEFAULT;
        String ext = fileName.substring(dot + 1);
        String type = BY_EXTENSION.get(ext);
        if (type == null) type = BY_EXTENSION.get(lowerAscii(ext));
        return type == null ? DEFAULT : type;
    }

    /**
     * @return true if compressing a body of this type usually pays: text, JSON, XML, SVG, scripts and WebAssembly.
     *         Images, audio, video, fonts and archives are compressed already.
     */
    public static boolean compressible(String type) {
        return type.startsWith("text/") || type.startsWith("image/svg+xml") || type.startsWith("application/wasm")
                || type.contains("json") || type.contains("xml") || type.startsWith("application/yaml")
                || type.startsWith("application/toml");
    }

    private static String lowerAscii(String s) {
        char[] out = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 'A' && c <= 'Z') {
                if (out == null) out = s.toCharArray();
                out[i] = (char) (c + 32);
            }
        }
        return out == null ? s : new String(out);
    }
}
