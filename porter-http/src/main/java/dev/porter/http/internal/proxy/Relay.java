package dev.porter.http.internal.proxy;

import dev.porter.http.ClientResponse;
import dev.porter.http.Headers;
import dev.porter.http.HttpException;
import dev.porter.http.Response;
import dev.porter.http.Status;
import dev.porter.http.internal.Ascii;
import dev.porter.http.internal.RelayedFields;
import dev.porter.http.internal.client.ClientResponseImpl;
import dev.porter.http.internal.http1.FieldBytes;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;

/**
 * Passes a backend's response on to the client: the status, the end-to-end fields (hop-by-hop ones dropped,
 * RFC 9110 §7.6.1), {@code Via} appended, and the body streamed as it arrives, re-framed by Porter's server
 * (Content-Length when the backend declared one, else chunked). A write waits for the client, and the next read
 * from the backend waits for that write: a slow client slows the backend's connection down instead of filling
 * memory. Output is flushed whenever the backend has nothing more ready, so streamed answers (server-sent
 * events, long polls) are not held back.
 */
final class Relay {

    private static final System.Logger LOG = System.getLogger("dev.porter.http.ProxyHandler");
    private static final int MAX_CHUNK = 64 * 1024;

    private Relay() {
    }

    /**
     * Copies the head into {@code res}, uncommitted.
     *
     * @param setCookie a {@code Set-Cookie} value to add (stickiness), or null
     * @throws IllegalArgumentException if a backend field cannot be sent (the caller answers 502 instead)
     */
    static void head(ClientResponse from, Response res, String pseudonym, String setCookie, boolean headRequest) {
        res.status(canonical(from.status()));
        // A head the client kept as bytes goes on as bytes: checked once by the client's parser, with the
        // framing fields (and Via) also as strings, which is all the proxy reads of it.
        FieldBytes bytes = from instanceof ClientResponseImpl r ? r.fieldBytes() : null;
        Headers in = bytes != null ? ((ClientResponseImpl) from).framingHeaders() : from.headers();
        if (bytes == null || !(res instanceof RelayedFields relayed) || !relayed.relayFields(endToEnd(bytes))) {
            Headers all = from.headers();
            List<String> listed = HopByHop.listed(all);
            for (int i = 0; i < all.size(); i++) {
                String name = all.name(i);
                if (HopByHop.drop(name, listed) || name.equalsIgnoreCase("Via")) continue;
                res.header(name, all.value(i));
            }
        }
        res.header("Via", Forwarding.via(in, from.version(), pseudonym));
        if (setCookie != null) res.header("Set-Cookie", setCookie);
        long length = headRequest ? declaredLength(in) : from.contentLength();
        if (length >= 0 && !from.status().forbidsBody()) res.contentLength(length);
    }

    /**
     * Streams the body. A backend that fails half-way cannot be reported with a status any more: the client's
     * connection is cut (an {@link HttpException} after the head is out does that without a stack trace), so the
     * client sees a truncated message, never a complete-looking wrong one.
     *
     * @param backendDone run once the backend's body was read to its end
     */
    static void body(ClientResponse from, Response res, String backend, Runnable backendDone) throws IOException {
        long length = from.contentLength();
        byte[] buf = new byte[(int) (length >= 0 && length < MAX_CHUNK ? Math.max(length, 1) : MAX_CHUNK)];
        InputStream in = from.body();
        OutputStream out = res.stream();
        long copied = 0;
        while (true) {
            int n;
            try {
                n = in.read(buf);
            } catch (IOException e) {
                LOG.log(System.Logger.Level.WARNING, "backend {0} failed while sending its response body: {1}",
                        backend, e.getMessage());
                throw new HttpException(Status.BAD_GATEWAY, "the upstream server failed while sending its response");
            }
            if (n < 0) {
                backendDone.run();
                break;
            }
            out.write(buf, 0, n);
            copied += n;
            if (copied == length) {
                // Done with the backend before the last bytes leave: least-connections sees it idle at once.
                backendDone.run();
                break;
            }
            if (in.available() == 0) out.flush();
        }
        out.close();
    }

    /** @return the lines of the fields that cross the proxy (not hop-by-hop, not Via: that one is rewritten) */
    private static byte[] endToEnd(FieldBytes f) {
        List<String> others = HopByHop.listedOthers(f);
        byte[] b = f.array();
        int n = f.size();
        // One look at each field: the dropped ones marked (the first 64; a longer head looks again at the rest).
        long droppedMask = 0;
        int length = 0;
        for (int i = 0; i < n; i++) {
            if (dropped(f, i, others)) {
                if (i < 64) droppedMask |= 1L << i;
            } else {
                length += f.lineEnd(i) - f.lineStart(i);
            }
        }
        byte[] out = new byte[length];
        int p = 0;
        for (int i = 0; i < n; i++) {
            if (i < 64 ? (droppedMask & (1L << i)) != 0 : dropped(f, i, others)) continue;
            int start = f.lineStart(i);
            int len = f.lineEnd(i) - start;
            System.arraycopy(b, start, out, p, len);
            p += len;
        }
        return out;
    }

    /**
     * @param listedOthers names listed in Connection that are not dropped anyway, in lower case
     * @return true for a field that does not cross: every named kind (Via is rewritten, Content-Length and
     *         Transfer-Encoding are the proxy's own framing, the rest hop-by-hop) and the fields Connection lists
     */
    private static boolean dropped(FieldBytes f, int i, List<String> listedOthers) {
        if (f.kind(i) != FieldBytes.OTHER) return true;
        for (int k = 0; k < listedOthers.size(); k++) {
            if (Ascii.equalsLower(f.array(), f.lineStart(i), f.nameLength(i), listedOthers.get(k))) return true;
        }
        return false;
    }

    /**
     * @return Porter's own {@link Status} for the code when the backend's reason phrase is the usual one (the server
     *         then writes a prebuilt status line instead of formatting one per response), else the backend's
     */
    private static Status canonical(Status s) {
        Status known = Status.of(s.code());
        return known != s && known.reason().equals(s.reason()) ? known : s;
    }

    private static long declaredLength(Headers h) {
        String v = h.first("Content-Length");
        if (v == null) return -1;
        try {
            return Long.parseLong(v.strip());
        } catch (NumberFormatException e) {
            return -1; // the client engine validated it already; a list of equal values is the only other form
        }
    }
}
