package dev.porter.http.internal.h2client;

import dev.porter.core.Connection;
import dev.porter.core.ReadBuffer;
import dev.porter.http.ClientConfig;
import dev.porter.http.HttpClientException;
import dev.porter.http.internal.h2.FrameParser;
import dev.porter.http.internal.h2.FrameType;
import dev.porter.http.internal.h2.HpackDecoder;
import dev.porter.http.internal.h2.Http2Error;
import dev.porter.http.internal.h2.Http2Exception;
import dev.porter.http.internal.h2.Settings;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import static dev.porter.http.internal.h2.FrameType.CONTINUATION;
import static dev.porter.http.internal.h2.FrameType.DATA;
import static dev.porter.http.internal.h2.FrameType.GOAWAY;
import static dev.porter.http.internal.h2.FrameType.HEADERS;
import static dev.porter.http.internal.h2.FrameType.PING;
import static dev.porter.http.internal.h2.FrameType.RST_STREAM;
import static dev.porter.http.internal.h2.FrameType.SETTINGS;
import static dev.porter.http.internal.h2.FrameType.WINDOW_UPDATE;
import static dev.porter.http.internal.h2client.Http2ClientConnection.CONNECTION_WINDOW;

/**
 * The reader thread of an HTTP/2 client connection: parses every frame the server sends ({@link FrameParser}) and
 * acts on it. Field blocks are collected ({@link FieldBlockCollector}), decoded ({@link HpackDecoder}: one context
 * per connection, so every block is decoded even for a stream nobody waits for) and checked ({@link ResponseFields});
 * heads, content and resets go to their {@link Http2ClientStream}; SETTINGS, GOAWAY and WINDOW_UPDATE change the
 * {@link ClientStreamTable} and the {@link SendWindows}; PING is answered. The connection's receive window is given
 * back as DATA arrives (the streams' windows already bound what is buffered).
 *
 * <p>Errors (RFC 9113 §5.4). A stream error resets only its stream (its request fails with
 * {@link HttpClientException.MalformedResponse}); a connection error ends the connection with GOAWAY, and every
 * stream still open fails. The server's first frame must be SETTINGS (§3.4): an HTTP/1.x status line there is
 * reported as a server that does not speak h2c.
 */
final class Http2ClientReader {

    private final Http2ClientConnection conn;
    private final Connection c;
    private final String remote;
    private final int maxHeaderBytes;
    private final int maxHeaderCount;
    private final ClientStreamTable table;
    private final SendWindows windows;
    private final Http2ClientWriter writer;
    private final FrameParser parser = new FrameParser(Settings.MIN_MAX_FRAME_SIZE);
    private final HpackDecoder decoder;
    private final FieldBlockCollector blocks;
    /** Our receive window for the whole connection. */
    private long recvWindow = CONNECTION_WINDOW;
    private boolean firstFrame = true;

    Http2ClientReader(Http2ClientConnection conn, Connection c, String remote, ClientConfig config,
                      ClientStreamTable table, SendWindows windows, Http2ClientWriter writer) {
        this.conn = conn;
        this.c = c;
        this.remote = remote;
        this.maxHeaderBytes = config.maxHeaderBytes();
        this.maxHeaderCount = config.maxHeaderCount();
        this.table = table;
        this.windows = windows;
        this.writer = writer;
        this.decoder = new HpackDecoder(Http2ClientConnection.TABLE_SIZE, maxHeaderBytes);
        this.blocks = new FieldBlockCollector(maxHeaderBytes, this::fieldBlock);
    }

    /** Reads frames until the connection ends, then fails whatever is still open. */
    void run() {
        IOException cause = null;
        ReadBuffer in = c.input();
        try {
            while (true) {
                if (firstFrame) notHttp1(in);
                int n = parser.parse(in.array(), in.start(), in.end());
                if (n == 0) {
                    if (!in.fill(in.available() > 0 ? ReadBuffer.Wait.IN_MESSAGE : ReadBuffer.Wait.NEXT_MESSAGE,
                            parser.needed() + 1)) {
                        break;
                    }
                    continue;
                }
                try {
                    frame();
                } catch (Http2Exception e) {
                    if (e.isConnectionError()) throw e;
                    resetStream(e.streamId(), e.error(), e.getMessage());
                }
                in.consume(n);
            }
        } catch (Http2Exception e) {
            cause = new HttpClientException.MalformedResponse("HTTP/2 connection error (" + e.error() + ") by "
                    + remote + ": " + e.getMessage());
            writer.goAway(e.error(), e.getMessage());
        } catch (IOException e) {
            cause = e;
        } catch (RuntimeException e) {
            cause = new IOException("HTTP/2 connection to " + remote + " failed: " + e, e);
        } finally {
            shutdown(cause);
        }
    }

    /** An HTTP/1.x server answering the h2c preface shows a status line where SETTINGS should be. */
    private void notHttp1(ReadBuffer in) throws HttpClientException.MalformedResponse {
        byte[] b = in.array();
        int n = Math.min(in.available(), 5);
        for (int i = 0; i < n; i++) {
            if (b[in.start() + i] != "HTTP/".charAt(i)) return;
        }
        if (n == 5) {
            throw new HttpClientException.MalformedResponse("server " + remote + " answered in HTTP/1.x, not HTTP/2: it "
                    + "does not speak HTTP/2 with prior knowledge (h2c) on this port");
        }
    }

    /** The connection is over: every stream still open learns why, and the socket closes. */
    private void shutdown(IOException cause) {
        table.shutdown(cause);
        c.close();
    }

    private void frame() throws IOException {
        Http2Exception streamError = parser.streamError();
        if (streamError != null) throw streamError;
        int type = parser.type();
        if (firstFrame) {
            // §3.4: the server's preface is a SETTINGS frame, first.
            if (type != SETTINGS || parser.ack()) {
                throw Http2Exception.connection(Http2Error.PROTOCOL_ERROR, "the server's first frame is "
                        + FrameType.name(type) + ", not SETTINGS (RFC 9113 §3.4)");
            }
            firstFrame = false;
        }
        switch (type) {
            case DATA -> data();
            case HEADERS -> blocks.headers(parser);
            case CONTINUATION -> blocks.continuation(parser);
            case RST_STREAM -> rstStream();
            case SETTINGS -> settings();
            case PING -> {
                if (!parser.ack()) writer.pingAck(parser.pingData());
            }
            case GOAWAY -> goAway();
            case WINDOW_UPDATE -> windows.opened(parser.streamId(), parser.windowIncrement());
            default -> {
                // PRIORITY is accepted and ignored (§5.3.2), unknown types too (§5.5).
            }
        }
    }

    /** DATA: counted against the connection's window (given back once half of it is used), then its stream's. */
    private void data() throws IOException {
        int id = parser.streamId();
        int flow = parser.length();
        // §6.9.1: every DATA frame counts against the connection's window, whatever its stream's state.
        if (flow > recvWindow) {
            throw Http2Exception.connection(Http2Error.FLOW_CONTROL_ERROR, "DATA beyond the connection's window");
        }
        recvWindow -= flow;
        if (recvWindow <= CONNECTION_WINDOW / 2) {
            writer.windowUpdate(0, (int) (CONNECTION_WINDOW - recvWindow));
            recvWindow = CONNECTION_WINDOW;
        }
        Http2ClientStream s = table.get(id);
        if (s == null) {
            table.checkNotIdle(id, "DATA");
            return; // a stream we reset or finished: frames in flight are ignored (§5.1)
        }
        s.onData(parser.buffer(), parser.contentStart(), parser.contentEnd(), flow, parser.endStream());
        afterEvent(s);
    }

    /** The server's frame may have ended the stream: then its slot is free. */
    private void afterEvent(Http2ClientStream s) {
        if (s.closeIfDone()) conn.streamClosed(s);
    }

    /** A complete field block from the server: decoded, checked, and given to its stream. */
    private void fieldBlock(int id, boolean endStream, byte[] b, int from, int to) {
        Http2ClientStream s = table.get(id);
        ResponseFields f = new ResponseFields(s != null && s.hasFinalHead(), maxHeaderCount, true);
        boolean tooLarge = false;
        try {
            // Always decoded, even for a stream nobody waits for: the HPACK context is the connection's.
            decoder.decode(b, from, to, id, f);
        } catch (Http2Exception e) {
            if (e.isConnectionError()) throw e;
            tooLarge = true;
        }
        if (s == null) {
            table.checkNotIdle(id, "HEADERS");
            return;
        }
        if (tooLarge) {
            throw Http2Exception.stream(id, Http2Error.PROTOCOL_ERROR, "response head larger than " + maxHeaderBytes
                    + " bytes (maxHeaderBytes)");
        }
        String problem = f.check();
        if (problem != null) throw Http2Exception.stream(id, Http2Error.PROTOCOL_ERROR, problem);
        s.onHeaders(f, endStream);
        afterEvent(s);
    }

    private void rstStream() {
        int id = parser.streamId();
        Http2ClientStream s = table.get(id);
        if (s == null) {
            table.checkNotIdle(id, "RST_STREAM");
            return;
        }
        s.onReset(Http2Error.of(parser.errorCode()));
        afterEvent(s);
    }

    /** Resets a stream after a stream error we found in what the server sent (§5.4.2). */
    private void resetStream(int id, Http2Error error, String why) throws IOException {
        Http2ClientStream s = table.get(id);
        boolean send = true;
        if (s != null) {
            send = s.abort(new HttpClientException.MalformedResponse("HTTP/2 stream " + id + " from " + remote + ": " + why));
        }
        if (send) writer.rstStream(id, error);
        if (s != null) afterEvent(s);
    }

    /** The server's SETTINGS: applied, the encoder told its table size, and acknowledged (§6.5.3). */
    private void settings() throws IOException {
        if (parser.ack()) return;
        int tableSize = table.applySettings(parser);
        if (tableSize >= 0) writer.peerTableSize(tableSize);
        writer.settingsAck();
    }

    /** The server's GOAWAY (§6.8): streams above its last identifier fail as unprocessed, the others finish. */
    private void goAway() {
        int last = parser.lastStreamId();
        Http2Error error = Http2Error.of(parser.errorCode());
        String debug = new String(parser.buffer(), parser.debugDataStart(),
                Math.min(200, parser.payloadEnd() - parser.debugDataStart()), StandardCharsets.ISO_8859_1);
        String why = "the server's GOAWAY (" + error + (debug.isBlank() ? "" : ": " + printable(debug)) + ") left it unprocessed";
        if (table.goAway(last, why)) conn.close();
    }

    /** The debug data, which is the server's text, with anything but printable ASCII replaced. */
    private static String printable(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            sb.append(ch >= 0x20 && ch < 0x7F ? ch : '?');
        }
        return sb.toString();
    }
}
