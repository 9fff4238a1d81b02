package dev.porter.http.internal.files;

import dev.porter.http.Headers;

import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.concurrent.TimeUnit;

/**
 * How to answer a GET or HEAD of one regular file, decided before anything is opened or written: which variant
 * (the file, a precompressed sibling, or the file gzipped on the fly), what the preconditions say, and which
 * ranges to send. {@link #choose} is a pure function of the request's header fields, the variants that exist and
 * the time; {@link FileResponder} finds the variants on disk and writes what was chosen.
 *
 * @param variant      the representation to send (its validators go out even with 304)
 * @param type         the Content-Type, from the file name the request used
 * @param varies       true if another Accept-Encoding could have chosen another variant ({@code Vary})
 * @param precondition what If-Match, If-None-Match and the date conditions decide
 * @param ranges       the ranges to send; {@link Ranges.Ignore} for the whole variant, and always unless the
 *                     preconditions proceed
 */
public record FileChoice(Variant variant, String type, boolean varies, Conditionals.Outcome precondition,
                         Ranges.Outcome ranges) {

    private static final Ranges.Ignore WHOLE = new Ranges.Ignore();

    /**
     * One way to send the file.
     *
     * @param path     the file to read
     * @param length   the bytes to read from it, as stat'ed when the validators were made
     * @param etag     its entity-tag
     * @param modified its modification time, seconds since the epoch
     * @param encoding the Content-Encoding, or null for identity
     * @param onTheFly true to gzip {@code path} while sending
     */
    public record Variant(Path path, long length, String etag, long modified, String encoding, boolean onTheFly) {

        /** @return the variant {@code path} is, with a strong tag from its size and time (changing whenever it does) */
        public static Variant of(Path path, BasicFileAttributes a, String encoding) {
            String etag = "\"" + Long.toHexString(a.size()) + "-" + Long.toHexString(a.lastModifiedTime().to(TimeUnit.MICROSECONDS))
                    + (encoding == null ? "" : "-" + encoding) + "\"";
            return new Variant(path, a.size(), etag, a.lastModifiedTime().to(TimeUnit.SECONDS), encoding, false);
        }

        /** @return this identity variant, gzipped while it is sent */
        Variant gzippedOnTheFly() {
            // Compressed output is not byte-for-byte fixed across JDKs, so its tag is weak (RFC 9110 §8.8.1).
            return new Variant(path, length, "W/" + etag.substring(0, etag.length() - 1) + "-gzip\"", modified, "gzip", true);
        }

        Conditionals.Validators validators() {
            return new Conditionals.Validators(etag, modified);
        }
    }

    /**
     * Chooses the answer. A precompressed sibling wins when Accept-Encoding allows it (the higher weight, br on a
     * tie); else compressible text of at least the threshold is gzipped on the fly if so configured and accepted.
     * A Range request (GET only, RFC 9110 §14.2) always gets the identity variant: ranges are of the file itself.
     *
     * @param method   GET or HEAD
     * @param request  the request's header fields
     * @param name     the file name the request used, which decides the media type
     * @param identity the file itself
     * @param br       its fresh {@code .br} sibling, or null
     * @param gz       its fresh {@code .gz} sibling, or null
     * @param config   whether and from what size to gzip on the fly
     * @param now      the time, seconds since the epoch, for the date conditions
     */
    public static FileChoice choose(String method, Headers request, String name, Variant identity, Variant br, Variant gz,
                                    FileConfig config, long now) {
        String type = MediaTypes.forFileName(name);
        String range = method.equals("GET") ? request.first("Range") : null;
        Variant chosen = identity;
        boolean varies = false;
        ContentCodings.Accepted accepted = null;
        if (br != null || gz != null) {
            varies = true;
            accepted = ContentCodings.parse(request.all("Accept-Encoding"));
            int qbr = br == null ? 0 : accepted.br();
            int qgz = gz == null ? 0 : accepted.gzip();
            if (range == null && qbr > 0 && qbr >= qgz) chosen = br;
            else if (range == null && qgz > 0) chosen = gz;
        }
        if (chosen == identity && config.gzip() && MediaTypes.compressible(type) && identity.length() >= config.gzipMinSize()) {
            varies = true;
            if (accepted == null) accepted = ContentCodings.parse(request.all("Accept-Encoding"));
            if (range == null && accepted.gzip() > 0) chosen = identity.gzippedOnTheFly();
        }
        Conditionals.Outcome precondition = Conditionals.evaluate(request, chosen.validators(), now);
        Ranges.Outcome ranges = precondition == Conditionals.Outcome.PROCEED && range != null
                && Conditionals.rangeApplies(request.first("If-Range"), chosen.validators(), now)
                ? Ranges.evaluate(range, chosen.length()) : WHOLE;
        return new FileChoice(chosen, type, varies, precondition, ranges);
    }
}
