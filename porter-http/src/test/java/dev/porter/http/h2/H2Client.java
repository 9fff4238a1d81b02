package dev.porter.http.h2;

import dev.porter.http.HttpServer;
import dev.porter.http.internal.h2.FrameParser;
import dev.porter.http.internal.h2.FrameType;
import dev.porter.http.internal.h2.FrameWriter;
import dev.porter.http.internal.h2.HpackDecoder;
import dev.porter.http.internal.h2.HpackEncoder;
import dev.porter.http.internal.h2.Http2Error;
import dev.porter.http.internal.h2.Settings;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * A frame-level HTTP/2 client for the conformance and hardening tests: a plain loopback socket, frames written
 * with the codec's {@link FrameWriter} (or as raw bytes, to break the rules on purpose), and frames read back one
 * at a time with field blocks decoded by an {@link HpackDecoder}. Nothing is hidden from a test: every frame read
 * is queued for {@link #expect}, and also folded into a per-stream {@link Exchange}.
 *
 * <p>While reading, the client also checks the server against the rules a receiver can see (each failure is an
 * {@link AssertionError}): frames within our SETTINGS_MAX_FRAME_SIZE (§4.2), DATA within the flow-control
 * windows we advertised (§6.9), CONTINUATION only right after its HEADERS (§6.10), no PUSH_PROMISE (§8.4),
 * SETTINGS first (§3.4). By default it acknowledges the server's SETTINGS and gives every DATA byte back with
 * WINDOW_UPDATEs at once; tests of flow control turn that off.
 */
final class H2Client implements AutoCloseable {

    /** How long any single wait for the server may take before the test fails (a hang is a failure). */
    static final Duration WAIT = Duration.ofSeconds(10);

    /** A frame as received. HEADERS stands for the whole field block: CONTINUATIONs are joined and decoded. */
    record Frame(int type, int flags, int stream, byte[] payload, List<String[]> fields, int continuations) {
        boolean has(int flag) {
            return (flags & flag) != 0;
        }

        boolean endStream() {
            return (type == FrameType.DATA || type == FrameType.HEADERS) && has(FrameType.FLAG_END_STREAM);
        }

        boolean ack() {
            return (type == FrameType.SETTINGS || type == FrameType.PING) && has(FrameType.FLAG_ACK);
        }

        /** RST_STREAM's or GOAWAY's error. */
        Http2Error error() {
            return Http2Error.of(readInt(payload, type == FrameType.GOAWAY ? 4 : 0));
        }

        /** GOAWAY's last stream id. */
        int lastStreamId() {
            return readInt(payload, 0) & 0x7fffffff;
        }

        /** GOAWAY's debug data. */
        String debug() {
            return new String(payload, 8, payload.length - 8, StandardCharsets.UTF_8);
        }

        /** WINDOW_UPDATE's increment. */
        int increment() {
            return readInt(payload, 0) & 0x7fffffff;
        }

        long pingData() {
            return (long) readInt(payload, 0) << 32 | readInt(payload, 4) & 0xffffffffL;
        }

        /** The first value of a field in a HEADERS block, or null. */
        String field(String name) {
            for (String[] f : fields) {
                if (f[0].equals(name)) return f[1];
            }
            return null;
        }

        @Override
        public String toString() {
            String s = FrameType.name(type) + "[stream=" + stream + ", flags=0x" + Integer.toHexString(flags)
                    + ", length=" + payload.length;
            if (type == FrameType.RST_STREAM) s += ", " + error();
            if (type == FrameType.GOAWAY) s += ", last=" + lastStreamId() + ", " + error() + ", '" + debug() + "'";
            if (type == FrameType.WINDOW_UPDATE) s += ", +" + increment();
            if (fields != null) {
                StringBuilder b = new StringBuilder();
                for (String[] f : fields) b.append(' ').append(f[0]).append('=').append(f[1]);
                s += "," + b;
            }
            return s + "]";
        }
    }

    /** What one stream received so far. */
    static final class Exchange {
        final int stream;
        final List<List<String[]>> heads = new ArrayList<>();
        final ByteArrayOutputStream body = new ByteArrayOutputStream();
        int dataFrames;
        boolean ended;
        Http2Error reset;

        Exchange(int stream) {
            this.stream = stream;
        }

        /** @return true once the stream is over for the client: END_STREAM or RST_STREAM received */
        boolean done() {
            return ended || reset != null;
        }

        /** @return the final status (the last HEADERS with a :status not 1xx), or 0 */
        int status() {
            for (List<String[]> h : heads) {
                int s = statusOf(h);
                if (s >= 200) return s;
            }
            return 0;
        }

        /** @return the informational statuses, in order */
        List<Integer> interim() {
            List<Integer> out = new ArrayList<>();
            for (List<String[]> h : heads) {
                int s = statusOf(h);
                if (s > 0 && s < 200) out.add(s);
            }
            return out;
        }

        /** @return a field of the final response head, or null */
        String header(String name) {
            for (List<String[]> h : heads) {
                if (statusOf(h) < 200) continue;
                for (String[] f : h) {
                    if (f[0].equals(name)) return f[1];
                }
            }
            return null;
        }

        String text() {
            return body.toString(StandardCharsets.UTF_8);
        }

        private static int statusOf(List<String[]> h) {
            for (String[] f : h) {
                if (f[0].equals(":status")) return Integer.parseInt(f[1]);
            }
            return 0;
        }

        @Override
        public String toString() {
            return "stream " + stream + ": status " + status() + (interim().isEmpty() ? "" : " after " + interim())
                    + ", " + body.size() + " body bytes in " + dataFrames + " DATA" + (ended ? ", ended" : "")
                    + (reset != null ? ", reset " + reset : "");
        }
    }

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private final HpackEncoder encoder = new HpackEncoder(Settings.DEFAULT_HEADER_TABLE_SIZE, false);
    private final HpackDecoder decoder = new HpackDecoder(Settings.DEFAULT_HEADER_TABLE_SIZE, Integer.MAX_VALUE);
    private final ArrayDeque<Frame> unread = new ArrayDeque<>();
    private final List<Frame> all = new ArrayList<>();
    private final Map<Integer, Exchange> exchanges = new HashMap<>();
    /** The server's settings, as received. */
    final Settings serverSettings = new Settings();
    /** Our settings, as sent. */
    private final Settings ours = new Settings();
    private int nextStream = 1;
    private boolean framesSeen;
    private boolean closed;
    private boolean connectionReset;
    /** Acknowledge the server's SETTINGS. */
    boolean autoAck = true;
    /** Give DATA bytes back at once (connection and stream WINDOW_UPDATEs). */
    boolean autoWindow = true;
    /** Our receive windows, as the server must respect them (§6.9). */
    private long connectionWindow = Settings.DEFAULT_WINDOW_SIZE;
    private final Map<Integer, Long> streamWindows = new HashMap<>();
    /** Our connection send window as the server opened it (it may not pass 2^31-1, §6.9.1). */
    private long sendWindow = Settings.DEFAULT_WINDOW_SIZE;
    /** The last stream id of the server's last GOAWAY (it may not increase, §6.8). */
    private int lastGoAway = Integer.MAX_VALUE;
    /** Each request's method, to know which responses have no content (HEAD). */
    private final Map<Integer, String> methods = new HashMap<>();
    /**
     * The SETTINGS_HEADER_TABLE_SIZE of each SETTINGS frame sent and not yet acknowledged (-1: not in it): our
     * decoder takes a lower limit once the server acknowledged it, and then requires the server's encoder to
     * signal it (RFC 7541 §4.2).
     */
    private final ArrayDeque<Integer> unackedTableSizes = new ArrayDeque<>();

    private H2Client(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new DataInputStream(new BufferedInputStream(socket.getInputStream(), 64 * 1024));
        this.out = socket.getOutputStream();
    }

    /** A connected socket; nothing sent yet. */
    static H2Client open(HttpServer server) {
        return open(server.port());
    }

    /** A connected socket to a server on this machine's {@code port} (one in another process); nothing sent yet. */
    static H2Client open(int port) {
        try {
            Socket s = new Socket();
            s.setTcpNoDelay(true);
            s.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            s.setSoTimeout((int) WAIT.toMillis());
            return new H2Client(s);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Connects with prior knowledge (h2c): the preface, a SETTINGS frame with {@code settings} (identifier,
     * value, …), then the server's SETTINGS read and acknowledged.
     */
    static H2Client connect(HttpServer server, int... settings) {
        return connect(server.port(), settings);
    }

    /** {@link #connect(HttpServer, int...)} to a server on this machine's {@code port}. */
    static H2Client connect(int port, int... settings) {
        H2Client c = open(port);
        c.send(FrameParser.PREFACE);
        c.settings(settings);
        Frame first = c.next();
        if (first == null || first.type != FrameType.SETTINGS || first.ack()) {
            throw new AssertionError("§3.4: the server's first frame must be SETTINGS, was " + first);
        }
        c.unread.remove(first);
        return c;
    }

    // ---- sending ---------------------------------------------------------------------------------------------

    H2Client send(byte[] bytes) {
        try {
            out.write(bytes);
            out.flush();
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sends bytes, tolerating a server that already closed (a flood may be cut short by its GOAWAY). */
    boolean trySend(byte[] bytes) {
        try {
            out.write(bytes);
            out.flush();
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** @return a frame of any type, flags and payload: nothing is checked */
    static byte[] rawFrame(int type, int flags, int stream, byte[] payload) {
        byte[] b = new byte[FrameParser.HEADER_LENGTH + payload.length];
        FrameWriter.header(b, 0, payload.length, type, flags, stream);
        System.arraycopy(payload, 0, b, FrameParser.HEADER_LENGTH, payload.length);
        return b;
    }

    H2Client frame(int type, int flags, int stream, byte[]... payloadParts) {
        ByteArrayOutputStream p = new ByteArrayOutputStream();
        for (byte[] part : payloadParts) p.writeBytes(part);
        return send(rawFrame(type, flags, stream, p.toByteArray()));
    }

    /** SETTINGS with (identifier, value) pairs; they count as ours once sent. */
    H2Client settings(int... pairs) {
        return send(settingsFrame(pairs));
    }

    byte[] settingsFrame(int... pairs) {
        byte[] p = new byte[pairs.length / 2 * 6];
        int tableSize = -1;
        for (int i = 0; i < pairs.length; i += 2) {
            p[i * 3] = (byte) (pairs[i] >>> 8);
            p[i * 3 + 1] = (byte) pairs[i];
            writeInt(p, i * 3 + 2, pairs[i + 1]);
            if (pairs[i] == Settings.HEADER_TABLE_SIZE) tableSize = pairs[i + 1];
            if (pairs[i] == Settings.INITIAL_WINDOW_SIZE) {
                long delta = (pairs[i + 1] & 0xffffffffL) - ours.initialWindowSize();
                streamWindows.replaceAll((id, w) -> w + delta);
                if (pairs[i + 1] >= 0) ours.initialWindowSize(pairs[i + 1]);
            } else if (pairs[i] == Settings.MAX_FRAME_SIZE && pairs[i + 1] >= Settings.MIN_MAX_FRAME_SIZE
                    && pairs[i + 1] <= Settings.MAX_MAX_FRAME_SIZE) {
                ours.maxFrameSize(pairs[i + 1]);
            }
        }
        unackedTableSizes.add(tableSize);
        return rawFrame(FrameType.SETTINGS, 0, 0, p);
    }

    H2Client settingsAck() {
        return frame(FrameType.SETTINGS, FrameType.FLAG_ACK, 0);
    }

    H2Client ping(long data) {
        byte[] b = new byte[17];
        FrameWriter.ping(b, 0, data, false);
        return send(b);
    }

    static byte[] pingFrame(long data) {
        byte[] b = new byte[17];
        FrameWriter.ping(b, 0, data, false);
        return b;
    }

    H2Client windowUpdate(int stream, int increment) {
        return send(windowUpdateFrame(stream, increment));
    }

    /** @return a WINDOW_UPDATE frame to send later, counted in our windows from now */
    byte[] windowUpdateFrame(int stream, int increment) {
        byte[] p = new byte[4];
        writeInt(p, 0, increment);
        if (stream == 0) connectionWindow += increment;
        else streamWindows.computeIfPresent(stream, (id, w) -> w + increment);
        return rawFrame(FrameType.WINDOW_UPDATE, 0, stream, p);
    }

    H2Client rst(int stream, Http2Error error) {
        byte[] b = new byte[13];
        FrameWriter.rstStream(b, 0, stream, error);
        return send(b);
    }

    H2Client goAway(int lastStream, Http2Error error) {
        byte[] b = new byte[17];
        FrameWriter.goAway(b, 0, lastStream, error, null, 0, 0);
        return send(b);
    }

    /** PRIORITY (§6.3) of {@code stream} on {@code dependency}. */
    H2Client priority(int stream, int dependency, int weight) {
        byte[] p = new byte[5];
        writeInt(p, 0, dependency);
        p[4] = (byte) weight;
        return frame(FrameType.PRIORITY, 0, stream, p);
    }

    H2Client data(int stream, byte[] bytes, boolean endStream) {
        return frame(FrameType.DATA, endStream ? FrameType.FLAG_END_STREAM : 0, stream, bytes);
    }

    H2Client data(int stream, String text, boolean endStream) {
        return data(stream, text.getBytes(StandardCharsets.UTF_8), endStream);
    }

    /** @return the next client stream id: 1, 3, 5… */
    int newStream() {
        int id = nextStream;
        nextStream += 2;
        return id;
    }

    /** @return an HPACK field block of (name, value) pairs, in order, encoded with this connection's context */
    byte[] block(String... nameValues) {
        int max = HpackEncoder.MAX_START_LENGTH;
        for (int i = 0; i < nameValues.length; i += 2) max += HpackEncoder.maxFieldLength(nameValues[i], nameValues[i + 1]);
        byte[] b = new byte[max];
        int n = encoder.startBlock(b, 0);
        for (int i = 0; i < nameValues.length; i += 2) n = encoder.field(b, n, nameValues[i], nameValues[i + 1]);
        return Arrays.copyOf(b, n);
    }

    /** The pseudo-header fields of a request, then {@code more}. */
    static String[] request(String method, String path, String... more) {
        String[] f = new String[8 + more.length];
        String[] pseudo = {":method", method, ":scheme", "http", ":authority", "localhost", ":path", path};
        System.arraycopy(pseudo, 0, f, 0, 8);
        System.arraycopy(more, 0, f, 8, more.length);
        return f;
    }

    /** HEADERS with END_HEADERS (and END_STREAM if asked) carrying these fields. */
    H2Client headers(int stream, boolean endStream, String... nameValues) {
        for (int i = 0; i < nameValues.length; i += 2) {
            if (nameValues[i].equals(":method")) methods.putIfAbsent(stream, nameValues[i + 1]);
        }
        return headersFrame(stream, (endStream ? FrameType.FLAG_END_STREAM : 0) | FrameType.FLAG_END_HEADERS,
                block(nameValues));
    }

    H2Client headersFrame(int stream, int flags, byte[] block) {
        streamWindows.putIfAbsent(stream, (long) ours.initialWindowSize());
        return frame(FrameType.HEADERS, flags, stream, block);
    }

    H2Client continuation(int stream, boolean endHeaders, byte[] fragment) {
        return frame(FrameType.CONTINUATION, endHeaders ? FrameType.FLAG_END_HEADERS : 0, stream, fragment);
    }

    /** Starts a request on a new stream: HEADERS, with END_STREAM if there is no body. @return the stream */
    int request(String method, String path, boolean endStream, String... more) {
        int id = newStream();
        headers(id, endStream, request(method, path, more));
        return id;
    }

    /**
     * One GET per path, each on a new stream, all in one write, so the server reads them together. No bookkeeping
     * beyond the stream ids (as {@link #rawFrame}). @return the streams, in the order of {@code paths}
     */
    int[] getTogether(String... paths) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        int[] ids = new int[paths.length];
        for (int i = 0; i < paths.length; i++) {
            ids[i] = newStream();
            all.writeBytes(rawFrame(FrameType.HEADERS, FrameType.FLAG_END_HEADERS | FrameType.FLAG_END_STREAM, ids[i],
                    block(request("GET", paths[i]))));
        }
        send(all.toByteArray());
        return ids;
    }

    /** GET {@code path}, awaited. */
    Exchange get(String path) {
        return await(request("GET", path, true));
    }

    // ---- receiving -------------------------------------------------------------------------------------------

    /**
     * Reads the next frame from the socket (HEADERS with its CONTINUATIONs as one), applies it (SETTINGS, flow
     * control, the stream's {@link Exchange}) and queues it for {@link #expect}.
     *
     * @return the frame, or null once the server closed the connection (FIN or reset)
     */
    Frame next() {
        if (closed) return null;
        try {
            Frame f = readFrame();
            if (f.type == FrameType.HEADERS && !f.has(FrameType.FLAG_END_HEADERS)) {
                ByteArrayOutputStream block = new ByteArrayOutputStream();
                block.writeBytes(fragment(f));
                int continuations = 0;
                Frame c;
                do {
                    c = readFrame();
                    if (c.type != FrameType.CONTINUATION || c.stream != f.stream) {
                        throw new AssertionError("§6.10: " + c + " inside the field block of " + f);
                    }
                    continuations++;
                    block.writeBytes(c.payload);
                } while (!c.has(FrameType.FLAG_END_HEADERS));
                byte[] b = block.toByteArray();
                f = new Frame(f.type, f.flags | FrameType.FLAG_END_HEADERS, f.stream, f.payload, decode(b, f.stream),
                        continuations);
            } else if (f.type == FrameType.HEADERS) {
                f = new Frame(f.type, f.flags, f.stream, f.payload, decode(fragment(f), f.stream), 0);
            } else if (f.type == FrameType.CONTINUATION) {
                throw new AssertionError("§6.10: CONTINUATION without HEADERS: " + f);
            }
            apply(f);
            unread.add(f);
            all.add(f);
            return f;
        } catch (EOFException e) {
            closed = true;
            return null;
        } catch (SocketTimeoutException e) {
            throw new AssertionError("no frame from the server within " + WAIT + "; frames so far: " + all);
        } catch (SocketException e) {
            // A reset: the server closed with unread input, or went away.
            closed = true;
            connectionReset = true;
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Frame readFrame() throws IOException {
        int len = in.readUnsignedByte() << 16 | in.readUnsignedByte() << 8 | in.readUnsignedByte();
        int type = in.readUnsignedByte();
        int flags = in.readUnsignedByte();
        int rawStream = in.readInt();
        int stream = rawStream & 0x7fffffff;
        if (rawStream < 0) throw new AssertionError("§4.1: the reserved bit set by the sender");
        if (len > ours.maxFrameSize()) {
            throw new AssertionError("§4.2: a frame of " + len + " bytes, above our SETTINGS_MAX_FRAME_SIZE " + ours.maxFrameSize());
        }
        byte[] payload = new byte[len];
        in.readFully(payload);
        if (type == FrameType.PUSH_PROMISE) throw new AssertionError("§8.4: the server pushed");
        if (!framesSeen && type != FrameType.SETTINGS) {
            throw new AssertionError("§3.4: the server's preface must start with SETTINGS, not " + FrameType.name(type));
        }
        framesSeen = true;
        switch (type) {
            case FrameType.SETTINGS -> {
                if ((flags & FrameType.FLAG_ACK) != 0 && len != 0) throw new AssertionError("§6.5: SETTINGS ACK with a payload");
                if (stream != 0 || len % 6 != 0) throw new AssertionError("§6.5: SETTINGS on stream " + stream + ", length " + len);
            }
            case FrameType.WINDOW_UPDATE -> {
                int increment = readInt(payload, 0) & 0x7fffffff;
                if (len != 4 || increment == 0) throw new AssertionError("§6.9: WINDOW_UPDATE of " + increment + ", length " + len);
                if (stream == 0) {
                    sendWindow += increment;
                    if (sendWindow > Integer.MAX_VALUE) throw new AssertionError("§6.9.1: our connection send window over 2^31-1");
                }
            }
            case FrameType.GOAWAY -> {
                int last = readInt(payload, 0) & 0x7fffffff;
                if (stream != 0) throw new AssertionError("§6.8: GOAWAY on stream " + stream);
                if (last > lastGoAway) throw new AssertionError("§6.8: GOAWAY's last stream id increased to " + last);
                lastGoAway = last;
            }
            case FrameType.DATA, FrameType.HEADERS, FrameType.RST_STREAM, FrameType.CONTINUATION -> {
                if (stream == 0 || stream % 2 == 0) {
                    throw new AssertionError(FrameType.name(type) + " on stream " + stream + ": not one the client opened");
                }
            }
            default -> {
            }
        }
        return new Frame(type, flags, stream, payload, null, 0);
    }

    /**
     * §8.3.2, §8.2: a response head has {@code :status} (three digits) as its only pseudo-header field, first,
     * names in lower case, and none of the connection-specific fields.
     */
    static void checkResponseFields(List<String[]> fields) {
        if (fields.isEmpty() || !fields.get(0)[0].equals(":status") || !fields.get(0)[1].matches("[1-5][0-9][0-9]")) {
            throw new AssertionError("§8.3.2: a response must start with :status, got " + names(fields));
        }
        for (int i = 1; i < fields.size(); i++) {
            String name = fields.get(i)[0];
            if (name.startsWith(":")) throw new AssertionError("§8.3: pseudo-header field " + name + " in a response");
            if (!name.equals(name.toLowerCase(java.util.Locale.ROOT))) throw new AssertionError("§8.2.1: field name " + name);
            if (List.of("connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade").contains(name)) {
                throw new AssertionError("§8.2.2: connection-specific field " + name + " in a response");
            }
        }
    }

    private static List<String> names(List<String[]> fields) {
        return fields.stream().map(f -> f[0]).toList();
    }

    /** The field block fragment of a HEADERS frame: padding and priority fields removed. */
    private static byte[] fragment(Frame f) {
        int start = 0;
        int end = f.payload.length;
        if (f.has(FrameType.FLAG_PADDED)) {
            end -= f.payload[0] & 0xff;
            start = 1;
        }
        if (f.has(FrameType.FLAG_PRIORITY)) start += 5;
        return Arrays.copyOfRange(f.payload, start, end);
    }

    private List<String[]> decode(byte[] block, int stream) {
        List<String[]> fields = new ArrayList<>();
        decoder.decode(block, 0, block.length, stream, (n, v) -> fields.add(new String[] {n, v}));
        return fields;
    }

    private void apply(Frame f) {
        switch (f.type) {
            case FrameType.SETTINGS -> {
                if (f.ack()) {
                    Integer tableSize = unackedTableSizes.poll();
                    if (tableSize != null && tableSize >= 0 && tableSize < decoder.maxTableSize()) decoder.maxTableSize(tableSize);
                    return;
                }
                serverSettings.apply(f.payload, 0, f.payload.length, true);
                if (autoAck) trySend(rawFrame(FrameType.SETTINGS, FrameType.FLAG_ACK, 0, new byte[0]));
            }
            case FrameType.HEADERS -> {
                Exchange x = exchange(f.stream);
                checkResponseFields(f.fields);
                if (x.status() != 0) throw new AssertionError("§8.1: HEADERS after the final response head: " + f);
                int status = Integer.parseInt(f.fields.get(0)[1]);
                if (status < 200 && f.endStream()) throw new AssertionError("§8.1: an interim response ended the stream");
                x.heads.add(f.fields);
                if (f.endStream()) x.ended = true;
            }
            case FrameType.DATA -> {
                Exchange x = exchange(f.stream);
                int flow = f.payload.length;
                connectionWindow -= flow;
                long sw = streamWindows.getOrDefault(f.stream, (long) ours.initialWindowSize()) - flow;
                streamWindows.put(f.stream, sw);
                if (connectionWindow < 0 || sw < 0) {
                    throw new AssertionError("§6.9: DATA beyond our window (connection " + connectionWindow
                            + ", stream " + sw + "): " + f);
                }
                int start = f.has(FrameType.FLAG_PADDED) ? 1 : 0;
                int end = f.payload.length - (f.has(FrameType.FLAG_PADDED) ? f.payload[0] & 0xff : 0);
                if (x.status() == 0) throw new AssertionError("§8.1: DATA before the response head: " + f);
                x.body.write(f.payload, start, end - start);
                x.dataFrames++;
                if (f.endStream()) {
                    x.ended = true;
                    String cl = x.header("content-length");
                    if (cl != null && !"HEAD".equals(methods.get(f.stream)) && Long.parseLong(cl) != x.body.size()) {
                        throw new AssertionError("§8.1.1: content-length " + cl + " but " + x.body.size() + " bytes of DATA");
                    }
                }
                if (autoWindow && flow > 0) {
                    // The server may have closed already: what it cannot read it does not need.
                    trySend(windowUpdateFrame(0, flow));
                    if (!f.endStream()) trySend(windowUpdateFrame(f.stream, flow));
                }
            }
            case FrameType.RST_STREAM -> exchange(f.stream).reset = f.error();
            default -> {
            }
        }
    }

    /** @return what {@code stream} received so far */
    Exchange exchange(int stream) {
        return exchanges.computeIfAbsent(stream, Exchange::new);
    }

    /** Reads until {@code stream} is over (END_STREAM or RST_STREAM); fails if the connection ends first. */
    Exchange await(int stream) {
        Exchange x = exchange(stream);
        while (!x.done()) {
            if (next() == null) throw new AssertionError("connection closed before " + x + "; frames: " + all);
        }
        return x;
    }

    /**
     * @return the first frame, queued or still to come, that {@code test} accepts (removed from the queue);
     *         fails if the connection closes first
     */
    Frame expect(String what, Predicate<Frame> test) {
        Frame f = find(test);
        if (f == null) throw new AssertionError("expected " + what + ", connection closed; frames: " + all);
        return f;
    }

    /** @return the frame, or null if the connection closed first */
    Frame find(Predicate<Frame> test) {
        for (Iterator<Frame> it = unread.iterator(); it.hasNext(); ) {
            Frame f = it.next();
            if (test.test(f)) {
                it.remove();
                return f;
            }
        }
        while (true) {
            Frame f = next();
            if (f == null) return null;
            if (test.test(f)) {
                unread.remove(f);
                return f;
            }
        }
    }

    Frame expect(int type, int stream) {
        return expect(FrameType.name(type) + " on stream " + stream, f -> f.type == type && f.stream == stream);
    }

    /** Expects RST_STREAM on {@code stream}. @return its error */
    Http2Error expectReset(int stream) {
        return expect(FrameType.RST_STREAM, stream).error();
    }

    /** Expects GOAWAY, then the end of the connection. @return the GOAWAY */
    Frame expectGoAway() {
        Frame g = expect("GOAWAY", f -> f.type == FrameType.GOAWAY);
        expectClosed();
        return g;
    }

    /** Reads (and keeps) frames until the server closes the connection. */
    void expectClosed() {
        while (next() != null) {
            // keep reading: every frame is recorded
        }
    }

    /** Sends a PING and waits for its ACK: everything sent before it was processed, the connection is alive. */
    void roundTrip() {
        long data = System.nanoTime();
        ping(data);
        expect("PING ACK", f -> f.type == FrameType.PING && f.ack() && f.pingData() == data);
    }

    /**
     * @return frames that arrived within {@code d} (each also queued), stopping early at the end of the
     *         connection; no frame arriving is not a failure
     */
    List<Frame> framesWithin(Duration d) {
        List<Frame> got = new ArrayList<>();
        try {
            socket.setSoTimeout((int) Math.max(1, d.toMillis()));
            long deadline = System.nanoTime() + d.toNanos();
            while (System.nanoTime() < deadline) {
                try {
                    Frame f = next();
                    if (f == null) break;
                    got.add(f);
                } catch (AssertionError e) {
                    if (!e.getMessage().startsWith("no frame")) throw e;
                    break;
                }
            }
            socket.setSoTimeout((int) WAIT.toMillis());
        } catch (SocketException e) {
            // closed: what arrived is the answer
        }
        return got;
    }

    /** @return every frame read so far, in order */
    List<Frame> frames() {
        return List.copyOf(all);
    }

    boolean isClosed() {
        return closed;
    }

    boolean wasReset() {
        return connectionReset;
    }

    @Override
    public void close() {
        try {
            socket.setOption(StandardSocketOptions.SO_LINGER, 0);
            socket.close();
        } catch (IOException e) {
            // closing a test socket
        }
    }

    static int readInt(byte[] b, int i) {
        return (b[i] & 0xff) << 24 | (b[i + 1] & 0xff) << 16 | (b[i + 2] & 0xff) << 8 | b[i + 3] & 0xff;
    }

    static void writeInt(byte[] b, int i, int v) {
        b[i] = (byte) (v >>> 24);
        b[i + 1] = (byte) (v >>> 16);
        b[i + 2] = (byte) (v >>> 8);
        b[i + 3] = (byte) v;
    }

    static byte[] bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) b[i] = (byte) values[i];
        return b;
    }
}
