package dev.porter.http;

/**
 * What a {@link StaticFiles} handler does beyond serving files, each off in {@link #NONE}: uploads, folder
 * downloads as zip, single-page-app and pretty-URL fallbacks, a custom 404 page. Immutable; set with
 * {@link StaticFiles.Options#withFeatures}.
 *
 * @param uploads      how uploads are accepted ({@code PUT} of a file, a {@code multipart/form-data} POST to a
 *                     folder, a form on listing pages), or null for none (PUT and POST answer 405)
 * @param archives     {@code ?download=zip} on a folder streams it as a zip, and listings link to it
 * @param spa          a GET for a missing path whose {@code Accept} names {@code text/html} gets the root's index
 *                     file (200), so client-side routes of a single-page app load it
 * @param prettyUrls   a missing {@code /about} is served from {@code about.html} when that exists
 * @param notFoundPage a {@code 404.html} in the root is sent (status 404) for every path that is not found
 */
public record StaticFeatures(Uploads uploads, boolean archives, boolean spa, boolean prettyUrls, boolean notFoundPage) {

    /**
     * How uploads are accepted.
     *
     * @param maxBytes      largest file in bytes (a larger one answers 413 and nothing is kept); a form is bounded as
     *                      a whole by this plus 64 KiB for its part headers, declared or streamed. The server's own
     *                      body limit ({@link HttpConfig#maxBodySize()}, 16 MiB by default) also applies: raise it
     *                      to at least this plus 64 KiB for forms (or out of the way, as {@code porter serve} does: a
     *                      body over it is refused by the server, naming its limit rather than this one)
     * @param overwrite     an upload may replace an existing file (else 409)
     * @param mkdir         missing folders on the way are created, and listings offer a "new folder" form
     * @param trustedOrigin a web origin ({@code https://app.example}) whose pages may upload from another site;
     *                      null for none. Other cross-site writes answer 403 (see {@code docs/serve.md})
     */
    public record Uploads(long maxBytes, boolean overwrite, boolean mkdir, String trustedOrigin) {
        /** Validates the limit. */
        public Uploads {
            if (maxBytes < 0) throw new IllegalArgumentException("maxBytes must be >= 0: " + maxBytes);
        }
    }

    /** Files only. */
    public static final StaticFeatures NONE = new StaticFeatures(null, false, false, false, false);

    /** @return a copy accepting uploads as {@code u} says (null: none) */
    public StaticFeatures withUploads(Uploads u) {
        return new StaticFeatures(u, archives, spa, prettyUrls, notFoundPage);
    }

    /** @return a copy with zip downloads of folders on or off */
    public StaticFeatures withArchives(boolean on) {
        return new StaticFeatures(uploads, on, spa, prettyUrls, notFoundPage);
    }

    /** @return a copy with the single-page-app fallback on or off */
    public StaticFeatures withSpa(boolean on) {
        return new StaticFeatures(uploads, archives, on, prettyUrls, notFoundPage);
    }

    /** @return a copy with pretty URLs ({@code /about} from {@code about.html}) on or off */
    public StaticFeatures withPrettyUrls(boolean on) {
        return new StaticFeatures(uploads, archives, spa, on, notFoundPage);
    }

    /** @return a copy that sends the root's {@code 404.html} for missing paths (on) or a short text (off) */
    public StaticFeatures withNotFoundPage(boolean on) {
        return new StaticFeatures(uploads, archives, spa, prettyUrls, on);
    }
}
