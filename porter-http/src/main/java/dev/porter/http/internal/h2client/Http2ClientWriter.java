package dev.porter.http.internal.h2client;

import dev.porter.core.Connection;
import dev.porter.http.ClientRequest;
import dev.porter.http.HttpClientException;
import dev.porter.http.internal.h2.FrameParser;
import dev.porter.http.internal.h2.FrameWriter;
import dev.porter.http.internal.h2.HpackEncoder;
import dev.porter.http.internal.h2.Http2Error;
import dev.porter.http.internal.h2.Settings;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Everything an HTTP/2 client connection sends: the preface, each request's HEADERS (and CONTINUATION) and DATA
 * from the caller's thread, and the control frames of the reader and the callers.
 *
 * <p>One lock orders the HEADERS: a stream's identifier is taken and its field block HPACK-encoded under it, so
 * identifiers reach the wire in increasing order (RFC 9113 §5.1.1) and the server's decoder sees blocks in the
 * order the encoder made them (RFC 7541 §2.2); the HEADERS frame and its CONTINUATIONs are one write. Every write
 * is one {@link Connection#write} call, which core makes atomic, so frames never interleave. DATA goes out within
 * the {@link SendWindows}, at most {@link #DATA_CHUNK} bytes a frame.
 *
 * <p>A failed write closes the connection: what a caller sends fails its own request; a failed control frame is
 * the reader's to find, as the end of the input.
 */
final class Http2ClientWriter {

    /** DATA frames we send carry at most this much (the smallest SETTINGS_MAX_FRAME_SIZE a server may set). */
    private static final int DATA_CHUNK = Settings.MIN_MAX_FRAME_SIZE;

    private final Connection c;
    private final String remote;
    private final long readTimeoutNanos;
    private final ClientStreamTable table;
    private final SendWindows windows;
    /** Orders HEADERS on the wire: stream identifiers and the HPACK encoder's context. */
    private final ReentrantLock headersLock = new ReentrantLock();
    private final HpackEncoder encoder = new HpackEncoder(Http2ClientConnection.TABLE_SIZE);

    Http2ClientWriter(Connection c, String remote, long readTimeoutNanos, ClientStreamTable table,
                      SendWindows windows) {
        this.c = c;
        this.remote = remote;
        this.readTimeoutNanos = readTimeoutNanos;
        this.table = table;
        this.windows = windows;
    }

    /** The client's connection preface (§3.4): the magic, our SETTINGS, and the connection window opened wider. */
    void preface(Settings ours, int connectionWindow) throws IOException {
        byte[] b = new byte[FrameParser.PREFACE.length + 9 + 36 + 13];
        System.arraycopy(FrameParser.PREFACE, 0, b, 0, FrameParser.PREFACE.length);
        int p = FrameWriter.settings(b, FrameParser.PREFACE.length, ours, null);
        p = FrameWriter.windowUpdate(b, p, 0, connectionWindow - Settings.DEFAULT_WINDOW_SIZE);
        c.write(b, 0, p);
        c.flush();
    }

    /** The server's SETTINGS_HEADER_TABLE_SIZE: the most of its table our encoder may use (RFC 7541 §4.2). */
    void peerTableSize(int size) {
        headersLock.lock();
        try {
            encoder.peerMaxTableSize(size);
        } finally {
            headersLock.unlock();
        }
    }

    // ---- requests ---------------------------------------------------------------------------------------------------

    /**
     * Takes a slot and an identifier, and sends the request's HEADERS: the pseudo-fields, then {@code fields}
     * (names lower-cased).
     *
     * @param endStream the request has no content: END_STREAM on the HEADERS
     * @throws Http2Retry if the connection stopped taking streams
     */
    Http2ClientStream open(String method, String scheme, String authority, String path, List<String> fields,
                           boolean endStream, long deadline, Duration timeout) throws IOException {
        return open(method, null, scheme, authority, path, fields, endStream, deadline, timeout);
    }

    /** As above, with {@code :protocol} (an extended CONNECT, RFC 8441 §4) unless {@code protocol} is null. */
    Http2ClientStream open(String method, String protocol, String scheme, String authority, String path,
                           List<String> fields, boolean endStream, long deadline, Duration timeout) throws IOException {
        List<String> names = new ArrayList<>(fields.size() / 2 + 5);
        List<String> values = new ArrayList<>(fields.size() / 2 + 5);
        names.add(":method");
        values.add(method);
        if (protocol != null) {
            names.add(":protocol");
            values.add(protocol);
        }
        names.add(":scheme");
        values.add(scheme);
        names.add(":authority");
        values.add(authority);
        names.add(":path");
        values.add(path);
        for (int i = 0; i < fields.size(); i += 2) {
            names.add(lowerCase(fields.get(i)));
            values.add(fields.get(i + 1));
        }
        long listSize = 0;
        int max = HpackEncoder.MAX_START_LENGTH;
        for (int i = 0; i < names.size(); i++) {
            listSize += names.get(i).length() + values.get(i).length() + 32;
            max += HpackEncoder.maxFieldLength(names.get(i), values.get(i));
        }
        table.acquireSlot(listSize, deadline, timeout);
        Http2ClientStream s;
        IOException failed = null;
        headersLock.lock();
        try {
            s = table.open(this, method.equals("HEAD"), Http2ClientConnection.STREAM_WINDOW);
            int maxFrame = table.peerMaxFrameSize();
            try {
                byte[] fieldBlock = new byte[max];
                int p = encoder.startBlock(fieldBlock, 0);
                for (int i = 0; i < names.size(); i++) p = encoder.field(fieldBlock, p, names.get(i), values.get(i));
                byte[] frames = new byte[FrameWriter.headersLength(p, maxFrame)];
                int len = FrameWriter.headers(frames, 0, s.id, endStream, fieldBlock, 0, p, maxFrame);
                c.write(frames, 0, len);
            } catch (IOException e) {
                failed = e; // answered once the lock is given back: others need not wait for the verdict
            } catch (RuntimeException e) {
                // The encoder's context moved on without the server's: nothing more can be said on this connection.
                c.close();
                throw e;
            }
        } finally {
            headersLock.unlock();
        }
        if (failed != null) throw writeFailed(s, failed);
        try {
            c.flush();
        } catch (IOException e) {
            throw writeFailed(s, e);
        }
        return s;
    }

    private static String lowerCase(String name) {
        for (int i = 0; i < name.length(); i++) {
            char ch = name.charAt(i);
            if (ch >= 'A' && ch <= 'Z') return name.toLowerCase(Locale.ROOT);
        }
        return name;
    }

    /**
     * Sends the request body as DATA within the server's windows, the last frame with END_STREAM.
     *
     * @return true if the body was sent to its end; false if the server reset the stream or answered for good
     *         first, and sending stopped
     * @throws BodySource.Failure if the body's own source failed
     */
    boolean body(Http2ClientStream s, ClientRequest.Body body, long deadline, Duration timeout) throws IOException {
        try (BodySource src = BodySource.of(body)) {
            byte[] chunk = new byte[DATA_CHUNK];
            byte[] frame = new byte[FrameParser.HEADER_LENGTH + DATA_CHUNK];
            boolean ended = false;
            while (!ended) {
                int n = src.read(chunk, 0, chunk.length);
                if (n < 0) {
                    n = 0;
                    ended = true;
                } else {
                    ended = src.complete();
                }
                int pos = 0;
                do {
                    int k = n == 0 ? 0 : reserve(s, n - pos, deadline, timeout);
                    if (k < 0) return false; // no point in sending more
                    boolean last = ended && pos + k == n;
                    int flen = FrameWriter.data(frame, 0, s.id, chunk, pos, k, last);
                    write(s, frame, flen, false);
                    pos += k;
                } while (pos < n);
            }
            write(s, frame, 0, true);
        }
        return true;
    }

    /**
     * Sends {@code len} bytes of a tunnel (RFC 8441) as DATA within the server's windows, then flushes; with
     * {@code end}, the last frame (or an empty one) carries END_STREAM.
     *
     * @throws IOException if the server reset the stream, or its windows stayed shut for the read timeout
     */
    void data(Http2ClientStream s, byte[] b, int off, int len, boolean end) throws IOException {
        byte[] frame = new byte[FrameParser.HEADER_LENGTH + Math.min(len, DATA_CHUNK)];
        Duration wait = Duration.ofNanos(readTimeoutNanos);
        int pos = 0;
        do {
            int k = len == 0 ? 0 : reserve(s, Math.min(len - pos, DATA_CHUNK), 0, wait);
            if (k < 0) throw new IOException("HTTP/2 stream " + s.id + " was reset by " + remote);
            int flen = FrameWriter.data(frame, 0, s.id, b, off + pos, k, end && pos + k == len);
            write(s, frame, flen, false);
            pos += k;
        } while (pos < len);
        write(s, frame, 0, true);
    }

    /**
     * Takes send window for up to {@code want} bytes; waits, output flushed first, while a window is closed.
     *
     * @return the bytes granted, or -1 if the server reset the stream (stop sending)
     */
    private int reserve(Http2ClientStream s, int want, long deadline, Duration timeout) throws IOException {
        long until = System.nanoTime() + readTimeoutNanos;
        int k = windows.reserve(s, want, false, until, deadline, timeout);
        if (k != 0) return k;
        // What is buffered may be what the server waits for before it opens the window.
        write(s, null, 0, true);
        return windows.reserve(s, want, true, until, deadline, timeout);
    }

    /** One frame of a caller's stream (or only a flush, with {@code len} 0); a failure ends the connection. */
    private void write(Http2ClientStream s, byte[] frame, int len, boolean flush) throws IOException {
        try {
            if (len > 0) c.write(frame, 0, len);
            if (flush) c.flush();
        } catch (IOException e) {
            if (c.timedOut()) {
                c.close();
                throw new HttpClientException.Timeout(remote + " did not take request bytes for "
                        + readTimeoutNanos / 1_000_000 + " ms (write timeout)", HttpClientException.Timeout.Kind.WRITE);
            }
            throw writeFailed(s, e);
        }
    }

    /**
     * A write of a caller's stream failed: the server closed or reset the connection, perhaps just after a GOAWAY
     * still unread here whose last stream identifier is below this stream's, which makes the request safe to send
     * again on another connection (RFC 9113 §6.8), any method. Closing the socket now would throw that GOAWAY away,
     * so the reader gets to read what came first (the read timeout at most; a closed connection ends its reads at
     * once), then the stream's verdict is taken: unprocessed if the GOAWAY said so, else as the connection's end.
     */
    private IOException writeFailed(Http2ClientStream s, IOException e) throws IOException {
        try {
            if (!c.timedOut()) table.awaitShutdown(System.nanoTime() + readTimeoutNanos);
        } finally {
            c.close();
        }
        return s.connectionEnded(e, remote);
    }

    // ---- control frames from the reader: a failure ends the reader too ----------------------------------------------

    void settingsAck() throws IOException {
        byte[] f = new byte[9];
        send(f, FrameWriter.settingsAck(f, 0));
    }

    void pingAck(long data) throws IOException {
        byte[] f = new byte[17];
        send(f, FrameWriter.ping(f, 0, data, true));
    }

    void windowUpdate(int streamId, int increment) throws IOException {
        byte[] f = new byte[13];
        send(f, FrameWriter.windowUpdate(f, 0, streamId, increment));
    }

    void rstStream(int streamId, Http2Error error) throws IOException {
        byte[] f = new byte[13];
        send(f, FrameWriter.rstStream(f, 0, streamId, error));
    }

    private void send(byte[] f, int len) throws IOException {
        c.write(f, 0, len);
        c.flush();
    }

    // ---- control frames from anywhere: a failure closes the connection, for the reader to find ----------------------

    /** Gives {@code credit} bytes of a stream's window back (WINDOW_UPDATE), as its reader consumed them. */
    void credit(int streamId, int credit) {
        byte[] f = new byte[13];
        sendQuietly(f, FrameWriter.windowUpdate(f, 0, streamId, credit));
    }

    /** RST_STREAM with CANCEL: the caller gave up on the stream. */
    void cancel(int streamId) {
        byte[] f = new byte[13];
        sendQuietly(f, FrameWriter.rstStream(f, 0, streamId, Http2Error.CANCEL));
    }

    /** GOAWAY with {@code error} and {@code why} (at most 200 characters) as debug data, if the connection is open. */
    void goAway(Http2Error error, String why) {
        if (!c.isOpen()) return;
        byte[] debug = why == null ? null : why.substring(0, Math.min(why.length(), 200)).getBytes(StandardCharsets.US_ASCII);
        byte[] f = new byte[17 + (debug == null ? 0 : debug.length)];
        // We accept no streams from the server: the last one we processed is 0.
        sendQuietly(f, FrameWriter.goAway(f, 0, 0, error, debug, 0, debug == null ? 0 : debug.length));
    }

    private void sendQuietly(byte[] f, int len) {
        try {
            c.write(f, 0, len);
            c.flush();
        } catch (IOException e) {
            c.close();
        }
    }
}
