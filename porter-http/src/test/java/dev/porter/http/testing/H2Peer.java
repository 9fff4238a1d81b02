package dev.porter.http.testing;

import dev.porter.http.internal.h2.FrameParser;
import dev.porter.http.internal.h2.FrameType;
import dev.porter.http.internal.h2.FrameWriter;
import dev.porter.http.internal.h2.HpackDecoder;
import dev.porter.http.internal.h2.HpackEncoder;
import dev.porter.http.internal.h2.Http2Error;
import dev.porter.http.internal.h2.Settings;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The server's end of an HTTP/2 connection, scripted by a test over a {@link RawServer} socket: reads the client's
 * preface and frames (field blocks decoded with Porter's HPACK decoder), and writes whatever frames the test needs,
 * well-formed or not. SETTINGS from the client are acknowledged and PINGs answered as they are read; everything
 * else is returned to the test. Not thread-safe.
 */
public final class H2Peer {

    /** One frame from the client; for HEADERS, the decoded fields of the whole block (CONTINUATIONs joined). */
    public record Frame(int type, int flags, int streamId, byte[] payload, List<String[]> fields) {

        public boolean endStream() {
            return (type == FrameType.DATA || type == FrameType.HEADERS) && (flags & FrameType.FLAG_END_STREAM) != 0;
        }

        /** @return the first value of a decoded field, or null */
        public String field(String name) {
            for (String[] f : fields) if (f[0].equals(name)) return f[1];
            return null;
        }

        /** @return WINDOW_UPDATE's increment, or RST_STREAM's or GOAWAY's error code */
        public int intAt(int offset) {
            return (payload[offset] & 0xff) << 24 | (payload[offset + 1] & 0xff) << 16 | (payload[offset + 2] & 0xff) << 8
                    | payload[offset + 3] & 0xff;
        }

        @Override
        public String toString() {
            return FrameType.name(type) + " stream " + streamId + " flags " + flags + " length " + payload.length;
        }
    }

    /** A request as read by {@link #readRequest()}: its stream, fields, and body (read to END_STREAM). */
    public record Request(int streamId, List<String[]> fields, byte[] body) {
        public String field(String name) {
            for (String[] f : fields) if (f[0].equals(name)) return f[1];
            return null;
        }
    }

    private final DataInputStream in;
    private final OutputStream out;
    private final HpackDecoder decoder = new HpackDecoder(4096, 1 << 20);
    private final HpackEncoder encoder = new HpackEncoder(4096);
    /** The connection WINDOW_UPDATE increments the client sent, as they were read. */
    public long connectionCredit;
    private int maxFrameSize = Settings.MIN_MAX_FRAME_SIZE;
    private final java.util.ArrayDeque<Frame> pending = new java.util.ArrayDeque<>();

    public H2Peer(Socket socket) throws IOException {
        this(socket.getInputStream(), socket.getOutputStream());
    }

    /** A peer on streams: for a conversation that looked at the first bytes itself. */
    public H2Peer(InputStream in, OutputStream out) {
        this.in = new DataInputStream(in);
        this.out = out;
    }

    /** Reads the client's preface and sends our SETTINGS (the server's preface, RFC 9113 §3.4). */
    public H2Peer handshake(Settings ours) throws IOException {
        byte[] preface = in.readNBytes(FrameParser.PREFACE.length);
        if (!Arrays.equals(preface, FrameParser.PREFACE)) {
            throw new IOException("not the HTTP/2 preface: " + new String(preface, StandardCharsets.ISO_8859_1));
        }
        byte[] f = new byte[9 + 36];
        write(f, FrameWriter.settings(f, 0, ours, null));
        return this;
    }

    /** {@link #handshake(Settings)} with the defaults. */
    public H2Peer handshake() throws IOException {
        return handshake(new Settings());
    }

    /**
     * @return the next frame that is not SETTINGS or PING (those are answered here): one passed over earlier by
     *         {@link #next(int)} first; null at end of stream
     */
    public Frame next() throws IOException {
        if (!pending.isEmpty()) return pending.removeFirst();
        return read();
    }

    private Frame read() throws IOException {
        while (true) {
            Frame f = readFrame();
            if (f == null) return null;
            switch (f.type) {
                case FrameType.SETTINGS -> {
                    if ((f.flags & FrameType.FLAG_ACK) == 0) {
                        byte[] b = new byte[9];
                        write(b, FrameWriter.settingsAck(b, 0));
                    }
                }
                case FrameType.PING -> {
                    if ((f.flags & FrameType.FLAG_ACK) == 0) {
                        byte[] b = new byte[17];
                        long data = 0;
                        for (byte x : f.payload) data = data << 8 | (x & 0xff);
                        write(b, FrameWriter.ping(b, 0, data, true));
                    }
                }
                case FrameType.WINDOW_UPDATE -> {
                    if (f.streamId == 0) connectionCredit += f.intAt(0);
                    return f;
                }
                default -> {
                    return f;
                }
            }
        }
    }

    /** @return the next frame of {@code type}; others read meanwhile stay queued, in order, for later calls */
    public Frame next(int type) throws IOException {
        return next(f -> f.type == type);
    }

    /** @return the next frame of {@code type} on {@code streamId}; others stay queued */
    public Frame next(int type, int streamId) throws IOException {
        return next(f -> f.type == type && f.streamId == streamId);
    }

    private Frame next(java.util.function.Predicate<Frame> wanted) throws IOException {
        for (var it = pending.iterator(); it.hasNext(); ) {
            Frame f = it.next();
            if (wanted.test(f)) {
                it.remove();
                return f;
            }
        }
        while (true) {
            Frame f = read();
            if (f == null || wanted.test(f)) return f;
            pending.addLast(f);
        }
    }

    /** Reads the next request: its HEADERS and, unless they end the stream, its DATA up to END_STREAM. */
    public Request readRequest() throws IOException {
        Frame h = next(FrameType.HEADERS);
        if (h == null) return null;
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        boolean ended = h.endStream();
        while (!ended) {
            Frame d = next(FrameType.DATA, h.streamId);
            if (d == null) throw new EOFException("end of stream inside a request body");
            body.write(d.payload);
            ended = d.endStream();
        }
        return new Request(h.streamId, h.fields, body.toByteArray());
    }

    private Frame readFrame() throws IOException {
        byte[] head = new byte[9];
        try {
            in.readFully(head);
        } catch (EOFException e) {
            return null;
        }
        int len = (head[0] & 0xff) << 16 | (head[1] & 0xff) << 8 | head[2] & 0xff;
        int type = head[3] & 0xff;
        int flags = head[4] & 0xff;
        int id = ((head[5] & 0x7f) << 24) | (head[6] & 0xff) << 16 | (head[7] & 0xff) << 8 | head[8] & 0xff;
        byte[] payload = in.readNBytes(len);
        if (payload.length < len) throw new EOFException("frame cut short");
        if (type != FrameType.HEADERS) return new Frame(type, flags, id, payload, List.of());
        ByteArrayOutputStream block = new ByteArrayOutputStream();
        block.write(payload, 0, payload.length);
        int lastFlags = flags;
        while ((lastFlags & FrameType.FLAG_END_HEADERS) == 0) {
            Frame c = readFrame();
            if (c == null || c.type != FrameType.CONTINUATION) throw new IOException("expected CONTINUATION, got " + c);
            block.write(c.payload, 0, c.payload.length);
            lastFlags = c.flags;
        }
        List<String[]> fields = new ArrayList<>();
        byte[] b = block.toByteArray();
        decoder.decode(b, 0, b.length, id, (n, v) -> fields.add(new String[] {n, v}));
        return new Frame(type, flags | FrameType.FLAG_END_HEADERS, id, payload, fields);
    }

    // ---- writing --------------------------------------------------------------------------------------------------

    /** HEADERS with the given fields, {@code name, value} in turn (CONTINUATIONs as needed). */
    public H2Peer headers(int streamId, boolean endStream, String... nameValues) throws IOException {
        int max = 12;
        for (int i = 0; i < nameValues.length; i += 2) max += HpackEncoder.maxFieldLength(nameValues[i], nameValues[i + 1]);
        byte[] block = new byte[max];
        int p = encoder.startBlock(block, 0);
        for (int i = 0; i < nameValues.length; i += 2) p = encoder.field(block, p, nameValues[i], nameValues[i + 1]);
        byte[] f = new byte[FrameWriter.headersLength(p, maxFrameSize)];
        write(f, FrameWriter.headers(f, 0, streamId, endStream, block, 0, p, maxFrameSize));
        return this;
    }

    /** DATA, split into frames of at most 16,384 bytes; END_STREAM on the last if asked. */
    public H2Peer data(int streamId, byte[] content, boolean endStream) throws IOException {
        int pos = 0;
        do {
            int n = Math.min(maxFrameSize, content.length - pos);
            byte[] f = new byte[9 + n];
            write(f, FrameWriter.data(f, 0, streamId, content, pos, n, endStream && pos + n == content.length));
            pos += n;
        } while (pos < content.length);
        return this;
    }

    /** A complete response: {@code :status}, content-length, the body. */
    public H2Peer respond(int streamId, int status, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        headers(streamId, b.length == 0, ":status", String.valueOf(status), "content-length", String.valueOf(b.length));
        if (b.length > 0) data(streamId, b, true);
        return this;
    }

    public H2Peer rst(int streamId, Http2Error error) throws IOException {
        byte[] f = new byte[13];
        write(f, FrameWriter.rstStream(f, 0, streamId, error));
        return this;
    }

    public H2Peer goAway(int lastStreamId, Http2Error error, String debug) throws IOException {
        byte[] d = debug.getBytes(StandardCharsets.US_ASCII);
        byte[] f = new byte[17 + d.length];
        write(f, FrameWriter.goAway(f, 0, lastStreamId, error, d, 0, d.length));
        return this;
    }

    public H2Peer windowUpdate(int streamId, int increment) throws IOException {
        byte[] f = new byte[13];
        write(f, FrameWriter.windowUpdate(f, 0, streamId, increment));
        return this;
    }

    /** Any bytes, as they are. */
    public H2Peer raw(byte[] bytes) throws IOException {
        write(bytes, bytes.length);
        return this;
    }

    private void write(byte[] b, int len) throws IOException {
        out.write(b, 0, len);
        out.flush();
    }
}
