package dev.porter.http;


import dev.porter.http.internal.Ascii;
import dev.porter.http.internal.files.CrossSite;
import dev.porter.http.internal.files.DirectoryListing;
import dev.porter.http.internal.files.Fallbacks;
import dev.porter.http.internal.files.FileConfig;
import dev.porter.http.internal.files.FileResponder;
import dev.porter.http.internal.files.FolderArchive;
import dev.porter.http.internal.files.ListingAnswer;
import dev.porter.http.internal.files.MetadataCache;
import dev.porter.http.internal.files.OpenFile;
import dev.porter.http.internal.files.OpenFiles;
import dev.porter.http.internal.files.PathMapper;
import dev.porter.http.internal.files.Uploads;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.Objects;

/**
 * Serves the files under a root directory: the handler behind {@code porter serve}, usable at any path of a
 * {@link Router} ({@code router.mount("/assets", StaticFiles.of(dir))}) or as a server's only handler.
 *
 * <p>What it does (details in {@link Options} and {@code docs/serve.md}):
 * <ul>
 *   <li><b>Safe mapping.</b> The raw path is split on {@code /} and each segment percent-decoded exactly once;
 *       {@code ..}, {@code .}, encoded slashes, backslashes, NUL and control characters are refused with 400;
 *       dotfiles answer 404 unless allowed; symbolic links leading out of the root answer 404 unless allowed.
 *       No request can read a file outside the root.</li>
 *   <li><b>Bodies</b> of small files come from memory, with their header fields rendered once; others go out with
 *       {@link Response#sendFile} (zero-copy {@code sendfile}) from a descriptor kept open between requests
 *       ({@link FileCache}: bounded, checked against the disk after {@link Options#metadataCache()}); several
 *       ranges and on-the-fly gzip are streamed through a 16 KiB buffer.</li>
 *   <li><b>Headers.</b> {@code Content-Type} from a built-in table ({@code charset=utf-8} on text),
 *       {@code X-Content-Type-Options: nosniff}, a strong {@code ETag}, {@code Last-Modified},
 *       {@code Cache-Control} as configured, {@code Accept-Ranges: bytes}.</li>
 *   <li><b>Conditional requests</b> (RFC 9110 §13): If-Match, If-Unmodified-Since (412), If-None-Match with
 *       weak comparison, If-Modified-Since only without If-None-Match (304), If-Range.</li>
 *   <li><b>Ranges</b> (RFC 9110 §14): {@code bytes=a-b}, {@code a-}, {@code -n}; 206 with Content-Range; several
 *       as {@code multipart/byteranges}; 416 with {@code bytes *}{@code /length}. Ranges are always served from
 *       the uncompressed file.</li>
 *   <li><b>Compression.</b> A fresh precompressed sibling ({@code app.js.br}, {@code app.js.gz}) is sent when
 *       Accept-Encoding allows it (the higher weight wins, br on a tie; {@code q=0} refuses), and optionally text
 *       is gzipped on the fly; {@code Vary: Accept-Encoding} whenever the answer could differ.</li>
 *   <li><b>Directories.</b> {@code /dir} redirects (301) to {@code /dir/}, keeping the query; {@code /dir/} serves
 *       the index file if present, else a listing page (sorted, escaped), or 404 when listings are off (404
 *       rather than 403: a folder without listing looks like any other missing page).</li>
 *   <li><b>Methods.</b> GET and HEAD; OPTIONS answers 200 with {@code Allow: GET, HEAD, OPTIONS}; anything else
 *       405 with the same {@code Allow}. With uploads ({@link StaticFeatures}) also PUT and POST.</li>
 *   <li><b>Listings</b> sort by name, size or date ({@code ?sort=size&order=desc}), mark symbolic links, and come
 *       as JSON for {@code Accept: application/json}; {@link StaticFeatures} adds upload forms, zip downloads,
 *       SPA, pretty-URL and 404-page fallbacks.</li>
 * </ul>
 * Immutable and thread-safe; one instance serves any number of connections.
 */
public final class StaticFiles implements Handler {

    static final String ALLOW = "GET, HEAD, OPTIONS";

    /**
     * How a {@link StaticFiles} handler behaves. Immutable; start from {@link #of(Path)} and change values with the
     * {@code withX} methods.
     *
     * @param root                   the directory whose files are served
     * @param indexFile              the file served for a directory, or null for none. Default {@code index.html}.
     * @param listing                list directories without an index file (else 404). Default true.
     * @param hideDotfiles           names starting with a dot answer 404 and are not listed ({@code .well-known}
     *                               excepted). Default true.
     * @param followExternalSymlinks follow symbolic links whose target lies outside the root. Default false
     *                               (such links answer 404 and are not listed).
     * @param cacheControl           the {@code Cache-Control} value sent with files, or null for none. Default
     *                               {@code no-cache}: browsers revalidate every time (cheap, thanks to 304) and
     *                               never show a stale file.
     * @param precompressed          look for fresh {@code .br} and {@code .gz} siblings. Default true.
     * @param gzip                   gzip compressible types on the fly when the client accepts it. Default false.
     * @param gzipMinSize            smallest file gzipped on the fly, in bytes. Default 1024.
     * @param metadataCache          how long what a path resolved to is reused; see {@link #withMetadataCache}.
     *                               Default 1 s.
     * @param features               uploads, zip downloads, SPA and 404 fallbacks; default {@link StaticFeatures#NONE}
     * @param fileCache              how many files are kept open and which are held in memory; default
     *                               {@link FileCache#DEFAULT}. Entries are revalidated after {@code metadataCache}.
     */
    public record Options(Path root, String indexFile, boolean listing, boolean hideDotfiles,
                          boolean followExternalSymlinks, String cacheControl, boolean precompressed, boolean gzip,
                          long gzipMinSize, Duration metadataCache, StaticFeatures features,
                          FileCache fileCache) {

        /**
         * Validates every value.
         *
         * @throws IllegalArgumentException if the index file is not a plain file name, the threshold is negative,
         *                                  or the Cache-Control value holds control characters
         */
        public Options {
            Objects.requireNonNull(root, "root");
            if (indexFile != null && (indexFile.isEmpty() || indexFile.contains("/") || indexFile.contains("\\")
                    || indexFile.equals(".") || indexFile.equals(".."))) {
                throw new IllegalArgumentException("index file must be a plain file name: " + indexFile);
            }
            if (gzipMinSize < 0) throw new IllegalArgumentException("gzipMinSize must be >= 0: " + gzipMinSize);
            Objects.requireNonNull(metadataCache, "metadataCache");
            if (metadataCache.isNegative()) throw new IllegalArgumentException("metadataCache must be >= 0");
            Objects.requireNonNull(features, "features");
            Objects.requireNonNull(fileCache, "fileCache");
            if (cacheControl != null && Ascii.fieldValueProblem(cacheControl) != null) {
                throw new IllegalArgumentException("Cache-Control: " + Ascii.fieldValueProblem(cacheControl));
            }
        }

        /** @return the defaults for {@code root} */
        public static Options of(Path root) {
            return new Options(root, "index.html", true, true, false, "no-cache", true, false, 1024, Duration.ofSeconds(1), StaticFeatures.NONE, FileCache.DEFAULT);
        }

        /** @return a copy serving {@code name} for directories (null: none) */
        public Options withIndexFile(String name) {
            return new Options(root, name, listing, hideDotfiles, followExternalSymlinks, cacheControl, precompressed, gzip, gzipMinSize, metadataCache, features, fileCache);
        }

        /** @return a copy with directory listings on or off */
        public Options withListing(boolean on) {
            return new Options(root, indexFile, on, hideDotfiles, followExternalSymlinks, cacheControl, precompressed, gzip, gzipMinSize, metadataCache, features, fileCache);
        }

        /** @return a copy with dotfiles hidden (true) or served (false) */
        public Options withHiddenDotfiles(boolean hidden) {
            return new Options(root, indexFile, listing, hidden, followExternalSymlinks, cacheControl, precompressed, gzip, gzipMinSize, metadataCache, features, fileCache);
        }

        /** @return a copy that follows (true) or refuses (false) symbolic links leading out of the root */
        public Options withExternalSymlinks(boolean follow) {
            return new Options(root, indexFile, listing, hideDotfiles, follow, cacheControl, precompressed, gzip, gzipMinSize, metadataCache, features, fileCache);
        }

        /** @return a copy sending this raw {@code Cache-Control} value (null: none) */
        public Options withCacheControl(String value) {
            return new Options(root, indexFile, listing, hideDotfiles, followExternalSymlinks, value, precompressed, gzip, gzipMinSize, metadataCache, features, fileCache);
        }

        /** @return a copy sending {@code Cache-Control: max-age=SECONDS} (whole seconds; 0 means {@code no-cache}) */
        public Options withMaxAge(Duration maxAge) {
            long s = maxAge.toSeconds();
            if (s < 0) throw new IllegalArgumentException("max-age must be >= 0: " + maxAge);
            return withCacheControl(s == 0 ? "no-cache" : "max-age=" + s);
        }

        /** @return a copy that looks for precompressed siblings (true) or not */
        public Options withPrecompressed(boolean on) {
            return new Options(root, indexFile, listing, hideDotfiles, followExternalSymlinks, cacheControl, on, gzip, gzipMinSize, metadataCache, features, fileCache);
        }

        /**
         * @return a copy that remembers what a path resolved to (its real path, links followed), whether
         *         precompressed siblings exist, and each file's attributes and open descriptor ({@link FileCache}),
         *         for {@code validity}, like nginx's {@code open_file_cache_valid}: a file changed, replaced or
         *         deleted on disk, a new link or sibling, shows within that time (the first request after it stats
         *         the file again). {@link Duration#ZERO} looks everything up, and opens every file, afresh.
         *         Default 1 s.
         */
        public Options withMetadataCache(Duration validity) {
            return new Options(root, indexFile, listing, hideDotfiles, followExternalSymlinks, cacheControl, precompressed,
                    gzip, gzipMinSize, validity, features, fileCache);
        }

        /** @return a copy keeping files open and in memory within these bounds ({@link FileCache}) */
        public Options withFileCache(FileCache cache) {
            return new Options(root, indexFile, listing, hideDotfiles, followExternalSymlinks, cacheControl, precompressed,
                    gzip, gzipMinSize, metadataCache, features, cache);
        }

        /** @return a copy with these {@link StaticFeatures} (uploads, zip downloads, fallbacks) */
        public Options withFeatures(StaticFeatures f) {
            return new Options(root, indexFile, listing, hideDotfiles, followExternalSymlinks, cacheControl, precompressed,
                    gzip, gzipMinSize, metadataCache, f, fileCache);
        }

        /** @return a copy with on-the-fly gzip on or off, for compressible files of at least {@code minSize} bytes */
        public Options withGzip(boolean on, long minSize) {
            return new Options(root, indexFile, listing, hideDotfiles, followExternalSymlinks, cacheControl, precompressed, on, minSize, metadataCache, features, fileCache);
        }
    }

    private final Options options;
    private final PathMapper mapper;
    private final FileResponder files;
    private final OpenFiles openFiles;
    private final MetadataCache<String, Resolved> resolutions;
    private final Uploads uploads;
    private final Fallbacks fallbacks;
    private final String allow;

    /** What a relative raw path names: the mapped path and its real path (null if it must not be served). */
    private record Resolved(Path mapped, Path real) {
    }

    private Resolved resolve(String relative) throws IOException {
        Path mapped = mapper.map(relative);
        return new Resolved(mapped, mapper.confine(mapped));
    }

    /**
     * @throws java.nio.file.NoSuchFileException if the root does not exist
     * @throws NotDirectoryException              if the root is not a directory
     * @throws IOException                        if the root cannot be resolved (e.g. no permission)
     */
    public StaticFiles(Options options) throws IOException {
        this.options = Objects.requireNonNull(options, "options");
        Path real = options.root().toRealPath();
        if (!Files.isDirectory(real)) throw new NotDirectoryException(options.root().toString());
        this.mapper = new PathMapper(real, options.hideDotfiles(), options.followExternalSymlinks());
        FileCache cache = options.fileCache();
        this.openFiles = new OpenFiles(options.metadataCache(), cache.openFiles(), cache.maxFileSize(), cache.memoryBytes(),
                cache.maxDirectFileSize());
        this.files = new FileResponder(new FileConfig(options.indexFile(), options.cacheControl(), options.precompressed(),
                options.gzip(), options.gzipMinSize(), options.metadataCache()), mapper, openFiles);
        this.resolutions = new MetadataCache<>(options.metadataCache());
        StaticFeatures f = options.features();
        this.uploads = f.uploads() == null ? null : new Uploads(new Uploads.Config(f.uploads().maxBytes(),
                f.uploads().overwrite(), f.uploads().mkdir(), !options.hideDotfiles()), mapper, openFiles);
        this.fallbacks = new Fallbacks(f.prettyUrls(), f.spa(), f.notFoundPage(), files, mapper);
        this.allow = uploads == null ? ALLOW : ALLOW + ", PUT, POST";
    }

    /** @return a handler serving {@code root} with the default {@link Options}. @throws IOException as the constructor */
    public static StaticFiles of(Path root) throws IOException {
        return new StaticFiles(Options.of(root));
    }

    /** @return the options */
    public Options options() {
        return options;
    }

    /** @return bytes of file content held in memory now (for tests) */
    long cachedBytes() {
        return openFiles.heldBytes();
    }

    /** @return the root directory as a real path (links resolved) */
    public Path root() {
        return mapper.root();
    }

    /**
     * Answers one request as described in the class comment.
     *
     * @throws HttpException 400 for a path that cannot name a file, 403 for an unreadable one, 404 for anything
     *                       missing or hidden
     * @throws IOException   if reading a file or writing to the client fails
     */
    @Override
    public void handle(Request request, Response response) throws IOException {
        String method = request.method();
        if (uploads != null && (method.equals("PUT") || method.equals("POST"))) {
            write(request, response);
            return;
        }
        if (!method.equals("GET") && !method.equals("HEAD")) {
            response.setHeader("Allow", allow);
            if (method.equals("OPTIONS")) {
                response.send(new byte[0]);
            } else {
                // Sent rather than thrown, so that Allow survives (RFC 9110 §15.5.6).
                response.send(Status.METHOD_NOT_ALLOWED, "Method Not Allowed\n");
            }
            return;
        }
        String relative = relativeRawPath(request);
        if (!fallbacks.any()) {
            read(request, response, relative);
            return;
        }
        try {
            read(request, response, relative);
        } catch (HttpException e) {
            if (e.status().code() != 404 || response.committed() || !fallbacks.answer(request, response, relative)) throw e;
        }
    }

    private Resolved resolved(String relative) throws IOException {
        Resolved resolved;
        try {
            resolved = resolutions.get(relative, this::resolve);
        } catch (IOException e) {
            throw FileResponder.failure(e);
        }
        if (resolved.real == null) throw new HttpException(Status.NOT_FOUND);
        return resolved;
    }

    private void read(Request request, Response response, String relative) throws IOException {
        Resolved resolved = resolved(relative);
        OpenFile file;
        try {
            // Attributes (and a regular file's descriptor) come from the open-file cache, checked against the
            // disk at most every metadataCache: a changed file gets its new validators within that window.
            file = openFiles.acquire(resolved.real);
        } catch (IOException e) {
            throw FileResponder.failure(e);
        }
        try {
            read(request, response, relative, resolved, file);
        } finally {
            openFiles.release(file);
        }
    }

    private void read(Request request, Response response, String relative, Resolved resolved, OpenFile file)
            throws IOException {
        BasicFileAttributes attrs = file.attributes();
        Path real = resolved.real;
        boolean slash = request.rawPath().endsWith("/");
        if (attrs.isDirectory()) {
            if (!slash) {
                redirectToDirectory(request, response);
            } else if (options.features().archives() && "zip".equals(request.query("download"))) {
                archive(request, response, real);
            } else if (!files.index(request, response, real)) {
                if (!options.listing()) throw new HttpException(Status.NOT_FOUND);
                listing(request, response, real, relative);
            }
        } else if (attrs.isRegularFile() && !slash) {
            files.send(request, response, file, resolved.mapped.getFileName().toString());
        } else {
            // A FIFO or device would block or never end; "file.txt/" names no directory.
            throw new HttpException(Status.NOT_FOUND);
        }
    }

    /** PUT of a file, or a form POSTed to a folder: refused from other sites' pages, then stored. */
    private void write(Request request, Response response) throws IOException {
        CrossSite.check(request, options.features().uploads().trustedOrigin());
        String relative = relativeRawPath(request);
        if (request.method().equals("PUT")) {
            uploads.put(request, response, relative);
            return;
        }
        Path real = resolved(relative).real;
        if (!Files.isDirectory(real) || !request.rawPath().endsWith("/")) {
            response.setHeader("Allow", ALLOW + ", PUT");
            response.send(Status.METHOD_NOT_ALLOWED, "POST uploads into a folder (its URL ends with /)\n");
            return;
        }
        uploads.post(request, response, real);
    }

    /** The folder as a zip, streamed (chunked: its length is not known before it is written). */
    private void archive(Request request, Response response, Path dir) throws IOException {
        Path fileName = dir.getFileName();
        String name = fileName == null ? "" : fileName.toString(); // "/" has no name: the zip is then files.zip
        response.setHeader("Content-Type", "application/zip");
        response.setHeader("Content-Disposition", FolderArchive.disposition(name));
        response.setHeader("Cache-Control", "no-cache");
        response.setHeader("X-Content-Type-Options", "nosniff");
        try (var out = response.stream()) {
            if (request.method().equals("GET")) FolderArchive.write(dir, mapper, out);
        }
    }

    /**
     * The raw path relative to where this handler is mounted: behind {@link Router#mount} (or any pattern ending in
     * {@code *}) the rest of the path exactly as sent, which {@link PathMapper} decodes once, segment by segment
     * (the decoded rest could not tell {@code %2F} from {@code /}); without a router, the whole raw path.
     */
    static String relativeRawPath(Request request) {
        String rest = request.rawPathParam(PathParams.REST);
        return rest != null ? rest : request.rawPath();
    }

    /**
     * {@code /dir} to {@code /dir/} (301), keeping the query. The Location is an absolute path with exactly one
     * leading slash: a raw path starting with {@code //} must not turn into a network-path reference
     * ({@code //evil.example/}) that sends the browser to another host.
     */
    private static void redirectToDirectory(Request request, Response response) throws IOException {
        String raw = request.rawPath();
        int i = 0;
        while (i < raw.length() && raw.charAt(i) == '/') i++;
        String location = "/" + raw.substring(i) + "/" + (request.rawQuery() == null ? "" : "?" + request.rawQuery());
        response.status(Status.MOVED_PERMANENTLY);
        response.setHeader("Location", location);
        response.send("Moved to " + location + "\n");
    }

    private void listing(Request request, Response response, Path dir, String relative) throws IOException {
        StaticFeatures f = options.features();
        ListingAnswer.send(request, response, dir, relative, mapper, new DirectoryListing.Actions(uploads != null,
                uploads != null && f.uploads().mkdir(), f.archives()));
    }
}
