package dev.porter.http.internal.files;

import dev.porter.http.Headers;
import dev.porter.http.internal.HttpDates;

import java.util.List;

/**
 * Evaluates the conditional request header fields of a GET or HEAD (RFC 9110 §13) against a representation's
 * validators, in the order §13.2.2 prescribes: If-Match, If-Unmodified-Since (only without If-Match),
 * If-None-Match, If-Modified-Since (only without If-None-Match), then If-Range for a range request.
 * Stateless and thread-safe.
 */
public final class Conditionals {

    private Conditionals() {
    }

    /** What the preconditions decide. */
    public enum Outcome {
        /** Send the representation (or the ranges asked for). */
        PROCEED,
        /** 304 Not Modified: the client's copy is current (§15.4.5). */
        NOT_MODIFIED,
        /** 412 Precondition Failed: If-Match or If-Unmodified-Since did not hold (§15.5.13). */
        PRECONDITION_FAILED;

        /**
         * Sends the 304 or 412 this outcome calls for, with the fields already set on {@code response} (a 304
         * carries the validators and cache fields of a 200, no content metadata: RFC 9110 §15.4.5).
         *
         * @return true if it answered (the caller stops there); false for {@link #PROCEED}
         */
        public boolean answer(dev.porter.http.Response response) throws java.io.IOException {
            switch (this) {
                case NOT_MODIFIED -> {
                    response.status(dev.porter.http.Status.NOT_MODIFIED);
                    response.send(new byte[0]);
                    return true;
                }
                case PRECONDITION_FAILED -> {
                    response.send(dev.porter.http.Status.PRECONDITION_FAILED, "Precondition Failed\n");
                    return true;
                }
                default -> {
                    return false;
                }
            }
        }
    }

    /**
     * The validators of one selected representation.
     *
     * @param etag           the entity-tag with quotes, {@code W/} prefixed if weak (§8.8.3)
     * @param modifiedSecond last modification, seconds since the epoch
     */
    public record Validators(String etag, long modifiedSecond) {
    }

    /** Evaluates the preconditions in the header fields of a GET or HEAD request (§13.2.2 steps 1 to 4). */
    public static Outcome evaluate(Headers request, Validators v, long nowSecond) {
        if (matchOrUnmodifiedFails(request, v, nowSecond)) return Outcome.PRECONDITION_FAILED;
        List<String> ifNoneMatch = request.all("If-None-Match");
        if (!ifNoneMatch.isEmpty()) {
            // §13.1.2: weak comparison; If-Modified-Since is then ignored (§13.1.3).
            return matches(ifNoneMatch, v.etag(), true) ? Outcome.NOT_MODIFIED : Outcome.PROCEED;
        }
        long ims = singleDate(request.all("If-Modified-Since"), nowSecond);
        if (ims != HttpDates.INVALID && v.modifiedSecond() <= ims) return Outcome.NOT_MODIFIED;
        return Outcome.PROCEED;
    }

    /**
     * Evaluates the preconditions of a method that replaces the resource (PUT), §13.2.2 steps 1 to 3: If-Match, else
     * If-Unmodified-Since, then If-None-Match, whose failure is a 412 for such a method (§13.1.2); If-Modified-Since
     * and If-Range are for GET and HEAD only. A resource that does not exist yet has no current representation, so
     * any If-Match fails (even {@code *}) and If-None-Match holds (§13.1.1, §13.1.2).
     *
     * @param v the validators of the current file, or null if there is none
     * @return PROCEED or PRECONDITION_FAILED
     */
    public static Outcome evaluateForWrite(Headers request, Validators v, long nowSecond) {
        if (matchOrUnmodifiedFails(request, v, nowSecond)) return Outcome.PRECONDITION_FAILED;
        List<String> ifNoneMatch = request.all("If-None-Match");
        boolean noneMatchFails = !ifNoneMatch.isEmpty() && v != null && matches(ifNoneMatch, v.etag(), true);
        return noneMatchFails ? Outcome.PRECONDITION_FAILED : Outcome.PROCEED;
    }

    /**
     * §13.2.2 steps 1 and 2: If-Match (§13.1.1: strong comparison; {@code *} matches any current representation),
     * else If-Unmodified-Since (§13.1.4).
     *
     * @param v the current representation's validators, or null if there is none: then any If-Match fails (even
     *          {@code *}) and If-Unmodified-Since does not apply
     * @return true if the request's precondition failed (412)
     */
    private static boolean matchOrUnmodifiedFails(Headers request, Validators v, long nowSecond) {
        List<String> ifMatch = request.all("If-Match");
        if (!ifMatch.isEmpty()) return v == null || !matches(ifMatch, v.etag(), false);
        if (v == null) return false;
        long ius = singleDate(request.all("If-Unmodified-Since"), nowSecond);
        return ius != HttpDates.INVALID && v.modifiedSecond() > ius;
    }

    /**
     * Evaluates the preconditions of a GET or HEAD against a representation without validators (a generated
     * listing): If-Match holds only for {@code *}, If-None-Match fails only for {@code *} (§13.1.1, §13.1.2: no
     * listed tag matches a representation that has none, and {@code *} matches any current one); the date
     * conditions are ignored, as there is no modification date (§13.1.3, §13.1.4).
     */
    public static Outcome evaluateWithoutValidators(Headers request) {
        List<String> ifMatch = request.all("If-Match");
        if (!ifMatch.isEmpty() && !matches(ifMatch, null, false)) return Outcome.PRECONDITION_FAILED;
        List<String> ifNoneMatch = request.all("If-None-Match");
        return !ifNoneMatch.isEmpty() && matches(ifNoneMatch, null, true) ? Outcome.NOT_MODIFIED : Outcome.PROCEED;
    }

    /**
     * Evaluates If-Range (§13.1.5): true if the Range header may be honoured, false if the whole representation
     * must be sent instead. An entity-tag must match strongly; a date must equal Last-Modified exactly, and only
     * counts if that Last-Modified is strong, i.e. at least a second in the past (§8.8.2.2).
     *
     * @param ifRange the If-Range field value, or null (then true)
     */
    public static boolean rangeApplies(String ifRange, Validators v, long nowSecond) {
        if (ifRange == null) return true;
        String s = ifRange.strip();
        if (s.startsWith("\"") || s.startsWith("W/")) {
            return !s.startsWith("W/") && !v.etag().startsWith("W/") && s.equals(v.etag());
        }
        long date = HttpDates.parse(s, nowSecond);
        return date != HttpDates.INVALID && date == v.modifiedSecond() && v.modifiedSecond() < nowSecond;
    }

    /**
     * @param fields the values of an If-Match or If-None-Match field: {@code *} or a list of entity-tags
     * @param etag   the representation's entity-tag, or null if it has none (then only {@code *} matches)
     * @param weak   true for weak comparison (opaque tags equal, W/ ignored), false for strong (§8.8.3.2)
     * @return true if any listed tag matches {@code etag}; false for a malformed list
     */
    static boolean matches(List<String> fields, String etag, boolean weak) {
        boolean etagWeak = etag != null && etag.startsWith("W/");
        String opaque = etagWeak ? etag.substring(2) : etag;
        for (String f : fields) {
            int i = 0;
            int n = f.length();
            while (i < n) {
                char c = f.charAt(i);
                if (c == ' ' || c == '\t' || c == ',') {
                    i++;
                    continue;
                }
                if (c == '*') {
                    return true; // any current representation, whatever its tag (§13.1.1)
                }
                boolean tagWeak = false;
                if (c == 'W' && f.startsWith("W/\"", i)) {
                    tagWeak = true;
                    i += 2;
                } else if (c != '"') {
                    return false; // not an entity-tag: the field is malformed, so nothing in it matches
                }
                int close = f.indexOf('"', i + 1);
                if (close < 0) return false;
                if (opaque != null && (weak || !tagWeak && !etagWeak) && f.regionMatches(i, opaque, 0, opaque.length())
                        && close + 1 - i == opaque.length()) {
                    return true;
                }
                i = close + 1;
            }
        }
        return false;
    }

    /** @return the date of a field that must hold exactly one HTTP-date, or INVALID (then ignored, §13.1.3) */
    private static long singleDate(List<String> fields, long nowSecond) {
        if (fields.size() != 1) return HttpDates.INVALID;
        return HttpDates.parse(fields.get(0), nowSecond);
    }
}
