package dev.porter.cli;

import dev.porter.http.ClientConfig;
import dev.porter.http.ClientWebSocket;
import dev.porter.http.HttpClient;
import dev.porter.http.WebSocket;
import dev.porter.http.WebSocketRequest;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * {@code porter get ws://…} and {@code wss://…}: a WebSocket conversation between the terminal and a server, in
 * the manner of websocat. Each stdin line is sent as a message (text, or binary with {@code --binary}); each
 * message received is printed on its own line (binary as hex, or as its bytes with {@code --raw}).
 *
 * <p>When stdin ends, the answers still on their way are printed until the server has been quiet for
 * {@code --linger} seconds (1 by default), then the conversation is closed with 1000: an echo's answers arrive
 * within that pause, and a server that talks on its own (a chat) is not cut off mid-sentence. A server that closes
 * first ends it too. Exit codes: 0 for a normal close (1000, 1001 or no code, by either side); 22 when the server
 * refuses the handshake or closes with another code; 28 for {@code --max-time} or a timeout; 56 when the
 * connection ends without a Close; 8 when the server breaks the protocol.
 *
 * <p>Threads: stdin is read on a daemon thread of its own (a blocked read must not keep the process alive once the
 * server has closed); messages are received and printed on the calling thread.
 */
final class GetWebSocket {

    /** The close codes a person may not know by number (RFC 6455 §7.4.1, and the IANA registry). */
    private static final Map<Integer, String> CODES = Map.ofEntries(Map.entry(1002, "protocol error"),
            Map.entry(1003, "unsupported data"), Map.entry(1007, "invalid data"), Map.entry(1008, "policy violation"),
            Map.entry(1009, "message too big"), Map.entry(1010, "mandatory extension"), Map.entry(1011, "internal error"),
            Map.entry(1012, "service restart"), Map.entry(1013, "try again later"), Map.entry(1014, "bad gateway"));

    private final GetWebSocketOptions options;
    private final InputStream in;
    private final PrintStream out;
    private final PrintStream err;
    private final boolean verbose;

    private ClientWebSocket ws;
    /** Set before this side starts the closing handshake: at the end of stdin, or at --max-time. */
    private volatile boolean closing;
    private volatile boolean expired;
    private volatile long lastMessage = System.nanoTime();

    GetWebSocket(GetWebSocketOptions options, InputStream in, PrintStream out, PrintStream err, boolean verbose) {
        this.options = options;
        this.in = in;
        this.out = out;
        this.err = err;
        this.verbose = verbose;
    }

    /**
     * Runs the conversation.
     *
     * @param headers the {@code -H} values, {@code Name: value}
     * @param maxTime {@code -m}: the longest the whole conversation may last, or null
     * @throws GetFailure for a usage error, or a conversation that did not end normally
     * @throws IOException if the handshake failed (classified by {@link GetErrors})
     */
    ExitCode run(URI uri, ClientConfig config, List<String> headers, Duration maxTime) throws IOException, GetFailure {
        if (!(options.linger >= 0) || options.linger > 1e6) throw new GetFailure(ExitCode.USAGE, "--linger must be 0 or more seconds");
        WebSocketRequest request = request(uri, headers, maxTime);
        try (HttpClient client = HttpClient.create(config); ClientWebSocket socket = client.websocket(request)) {
            ws = socket;
            if (verbose) {
                boolean h2 = "HTTP/2".equals(ws.request().version());
                err.println("* WebSocket open over " + (h2 ? "HTTP/2 (RFC 8441 extended CONNECT)" : "HTTP/1.1 (upgrade)")
                        + (ws.subprotocol() != null ? ", sub-protocol " + ws.subprotocol() : "")
                        + (ws.extensions() != null ? ", " + ws.extensions() : ", no compression"));
            }
            Thread.ofPlatform().daemon().name("porter-get-stdin").start(this::sendLines);
            Thread timer = maxTime == null ? null : Thread.ofVirtual().name("porter-get-max-time").start(() -> expire(maxTime));
            try {
                if (!printMessages()) return ExitCode.WRITE_ERROR;
            } finally {
                if (timer != null) timer.interrupt();
            }
            if (verbose) err.println("* WebSocket closed: " + describe(ws.closeCode(), ws.closeReason()));
            return outcome(maxTime);
        }
    }

    private WebSocketRequest request(URI uri, List<String> headers, Duration maxTime) throws GetFailure {
        WebSocketRequest.Builder b = WebSocketRequest.builder(uri).deflate(!options.noDeflate);
        if (maxTime != null && maxTime.compareTo(Duration.ofSeconds(30)) < 0) b.timeout(maxTime);
        try {
            b.subprotocols(options.subprotocols.toArray(String[]::new));
            for (String h : headers) {
                int colon = h.indexOf(':');
                if (colon <= 0) throw new GetFailure(ExitCode.USAGE, "bad header '" + h + "': expected 'Name: value'");
                b.header(h.substring(0, colon).trim(), h.substring(colon + 1).trim());
            }
            return b.build();
        } catch (IllegalArgumentException e) {
            throw new GetFailure(ExitCode.USAGE, e.getMessage());
        }
    }

    /** Sends stdin's lines until it ends (then lingers and closes) or the conversation does. */
    private void sendLines() {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                if (options.binary) ws.sendBinary(line.getBytes(StandardCharsets.UTF_8));
                else ws.sendText(line);
            }
        } catch (IOException e) {
            if (!ws.isOpen()) return; // the server closed: the receiving side reports how
            if (!closing && verbose) err.println("* stdin: " + e.getMessage());
        }
        long quiet = (long) (options.linger * 1e9);
        long eof = System.nanoTime();
        try {
            while (true) {
                long wait = Math.max(eof, lastMessage) + quiet - System.nanoTime();
                if (wait <= 0) break;
                Thread.sleep(Duration.ofNanos(wait));
            }
        } catch (InterruptedException e) {
            return;
        }
        closeWith1000();
    }

    private void expire(Duration maxTime) {
        try {
            Thread.sleep(maxTime);
        } catch (InterruptedException e) {
            return; // the conversation ended first
        }
        expired = true;
        closeWith1000();
    }

    private void closeWith1000() {
        closing = true;
        try {
            ws.close(1000, "");
        } catch (IOException e) {
            // The connection failed meanwhile: the receiving side sees it and reports it.
        }
    }

    /** @return false if stdout could not be written (a closed pipe) */
    private boolean printMessages() throws IOException {
        for (WebSocket.Message m; (m = ws.receive()) != null; ) {
            lastMessage = System.nanoTime();
            switch (m) {
                case WebSocket.Text t -> out.write(t.text().getBytes(StandardCharsets.UTF_8));
                case WebSocket.Binary b -> out.write(options.raw ? b.data()
                        : HexFormat.of().formatHex(b.data()).getBytes(StandardCharsets.US_ASCII));
            }
            out.write('\n');
            out.flush();
            if (out.checkError()) {
                err.println("porter get: cannot write the output");
                return false;
            }
        }
        return true;
    }

    /** How the conversation ended, as an exit code: see the class comment. */
    private ExitCode outcome(Duration maxTime) throws GetFailure {
        int code = ws.closeCode();
        int server = ws.serverCloseCode();
        String reason = ws.closeReason();
        if (expired) {
            throw new GetFailure(ExitCode.TIMEOUT, "the conversation reached --max-time (" + maxTime.toMillis() / 1000.0
                    + " s) and was closed");
        }
        if (closing && code == 1000) return ExitCode.OK;
        if (server != 0 && server == code) {
            if (code == 1000 || code == 1001 || code == 1005) return ExitCode.OK;
            throw new GetFailure(ExitCode.HTTP_ERROR, "the server closed the conversation with " + describe(code, reason));
        }
        if (code == 1006 && reason.contains("send timeout")) {
            throw new GetFailure(ExitCode.TIMEOUT, "the server did not read what was sent (send timeout)");
        }
        if (code == 1006) throw new GetFailure(ExitCode.NETWORK, "the connection ended without a Close frame (" + reason + ")");
        if (code == 1001) throw new GetFailure(ExitCode.TIMEOUT, "the server was silent too long (" + reason + ")");
        throw new GetFailure(ExitCode.MALFORMED, "closed the conversation with " + describe(code, reason));
    }

    /** @return {@code 1009 (message too big): reason}, with the reason when there is one */
    static String describe(int code, String reason) {
        String name = CODES.get(code);
        return code + (name != null ? " (" + name + ")" : "") + (reason == null || reason.isEmpty() ? "" : ": " + reason);
    }
}
