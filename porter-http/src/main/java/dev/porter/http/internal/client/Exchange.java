package dev.porter.http.internal.client;

import dev.porter.core.Connection;
import dev.porter.core.ReadBuffer;
import dev.porter.http.ClientConfig;
import dev.porter.http.ClientRequest;
import dev.porter.http.HttpClientException;
import dev.porter.http.internal.ClientPresence;
import dev.porter.http.internal.http1.ClientErrors;
import dev.porter.http.internal.http1.ResponseFraming;
import dev.porter.http.internal.http1.ResponseHead;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;

/**
 * One request and its final response on one connection: writes the head, waits for {@code 100 Continue} when it
 * asked for it, writes the body, then reads heads until a final one (interim 1xx responses are skipped, RFC 9110
 * §15.2) and frames its body. A connection taken from the pool that turns out dead before answering anything is
 * reported as {@link StaleConnection}, so the caller can retry on a fresh one.
 */
public final class Exchange {

    /** A reused connection failed before any byte of a response: the request may be retried elsewhere. */
    static final class StaleConnection extends IOException {
        StaleConnection(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** What the exchange produced: the final head, its framing, and whether its body was sent. */
    record Result(ResponseHead head, ResponseFraming framing, boolean bodySent) {
    }

    /** Interim responses tolerated before the final one. */
    private static final int MAX_INTERIM = 16;

    private final ClientConfig config;
    private final PooledConnection pc;
    private final Connection c;
    /** The request, or null when it came {@link PreparedRequest prepared}. */
    private final ClientRequest req;
    private final PreparedRequest prepared;
    private final long deadline;
    private final Duration timeout;

    Exchange(ClientConfig config, PooledConnection pc, ClientRequest req, long deadline, Duration timeout) {
        this.config = config;
        this.pc = pc;
        this.c = pc.c;
        this.req = req;
        this.prepared = null;
        this.deadline = deadline;
        this.timeout = timeout;
    }

    /** An exchange for a request whose head is already encoded (no interim 100 wanted: it never asks for one). */
    Exchange(ClientConfig config, PooledConnection pc, PreparedRequest prepared, long deadline, Duration timeout) {
        this.config = config;
        this.pc = pc;
        this.c = pc.c;
        this.req = null;
        this.prepared = prepared;
        this.deadline = deadline;
        this.timeout = timeout;
    }

    /**
     * Runs the exchange. On any failure the connection is closed.
     *
     * @param expectContinue send {@code Expect: 100-continue} and hold the body back until {@code 100} or a pause
     * @param acceptGzip     ask for gzip content coding
     * @throws StaleConnection if a reused connection failed before any byte of a response arrived
     */
    Result run(boolean expectContinue, boolean acceptGzip) throws IOException {
        Route route = pc.route;
        // A prepared request is the proxy's: it relays the fields as bytes, so the head keeps them so.
        ResponseHead head = prepared != null ? pc.preparedHead(config)
                : new ResponseHead(config.maxHeaderBytes(), config.maxHeaderCount(), config.listener() != null);
        c.input().deadline(deadline);
        try {
            if (prepared != null) {
                prepared.writeHead(c);
                if (!sendBody(prepared.body, head)) return new Result(head, ResponseFraming.of(head, prepared.method), false);
                if (prepared.client != null) readFinalFor(prepared.client, head);
                else readFinal(head);
                return new Result(head, ResponseFraming.of(head, prepared.method), true);
            }
            List<String> lines = RequestWriter.head(req, route, config, expectContinue, acceptGzip);
            RequestWriter.writeHead(c, lines);
            if (config.listener() != null) config.listener().requestHead(lines);
            boolean hasBody = req.body().length() != 0;
            boolean waitForContinue = hasBody && (expectContinue || "100-continue".equalsIgnoreCase(req.header("Expect")));
            if (waitForContinue) {
                c.flush();
                if (awaitContinue(head)) return new Result(head, ResponseFraming.of(head, req.method()), false);
            }
            if (!sendBody(req.body(), head)) return new Result(head, ResponseFraming.of(head, req.method()), false);
            readFinal(head);
            return new Result(head, ResponseFraming.of(head, req.method()), true);
        } catch (RequestWriter.BodySourceException | HttpClientException | StaleConnection | ClientPresence.Gone e) {
            // Gone: this connection was closed because the client left, not found dead; never retried elsewhere.
            c.close();
            throw e;
        } catch (RuntimeException e) {
            c.close(); // a listener failed: the exchange is abandoned half-way
            throw e;
        } catch (IOException e) {
            c.close();
            if (pc.reused && !head.started() && !(e instanceof SocketTimeoutException) && !c.timedOut()) {
                throw new StaleConnection("reused connection to " + route + " failed before a response: " + e.getMessage(), e);
            }
            throw ClientErrors.translate(e, c, deadline, timeout, config.readTimeout());
        }
    }

    /**
     * Reads the final response while {@code client} may leave: nginx gives a request up when its client closes
     * ({@code proxy_ignore_client_abort off}) rather than hold the backend until it answers. The read is the usual
     * untimed one, so a quick answer costs nothing more; only a read that lasts a second makes the core's watchdog
     * ask whether the client is still there ({@code Connection.abandonLongReadsWhen}), and "gone" closes this
     * connection under the read, which is then never pooled.
     *
     * @throws ClientPresence.Gone if the client left first
     */
    private void readFinalFor(ClientPresence client, ResponseHead head) throws IOException {
        Presence presence = new Presence(client);
        c.abandonLongReadsWhen(presence);
        try {
            readFinal(head);
        } catch (IOException e) {
            if (presence.gone) throw gone(e);
            throw e;
        } finally {
            c.abandonLongReadsWhen(null);
            presence.close();
        }
        // Gone just as the answer came: the connection may have been closed under the rest of it.
        if (presence.gone) throw gone(null);
    }

    private ClientPresence.Gone gone(IOException cause) {
        ClientPresence.Gone g = new ClientPresence.Gone("the client left before " + ClientErrors.remote(c) + " answered");
        if (cause != null) g.initCause(cause);
        return g;
    }

    /**
     * The question the watchdog asks during a long read, remembering its answer for the reading thread. It is asked
     * on another thread, and on HTTP/1.1 the look reads the client's connection, which the reading thread uses again
     * once the backend answered: a gate keeps the two apart ({@link #close} waits out a look in progress, a
     * millisecond, and no look starts after it).
     */
    private static final class Presence implements java.util.function.BooleanSupplier {
        private static final Duration LOOK = Duration.ofMillis(1);
        private static final int OPEN = 0, LOOKING = 1, CLOSED = 2;
        private final ClientPresence client;
        private final java.util.concurrent.atomic.AtomicInteger gate = new java.util.concurrent.atomic.AtomicInteger();
        volatile boolean gone;

        Presence(ClientPresence client) {
            this.client = client;
        }

        @Override
        public boolean getAsBoolean() {
            if (!gate.compareAndSet(OPEN, LOOKING)) return false; // the reading thread has moved on
            try {
                if (client.look(LOOK) == ClientPresence.Sign.LEFT) gone = true;
            } finally {
                gate.set(OPEN);
            }
            return gone;
        }

        /** The reading thread is done waiting: no look starts after this, and one in progress is waited out. */
        void close() {
            while (!gate.compareAndSet(OPEN, CLOSED)) Thread.yield();
        }
    }

    /**
     * Writes the body and flushes. A server may answer before reading the whole body (a 413, a 401) and close
     * (RFC 9112 §9.6); the body it left unread makes its side reset the connection, so a write here fails, while
     * the answer is already in this side's receive buffer. That answer is read instead of reporting the failed
     * write (nginx, which reads only while it writes, reports a 502 there).
     *
     * @return true if the body was sent; false if a final response was read instead (the connection is not reused)
     */
    private boolean sendBody(ClientRequest.Body body, ResponseHead head) throws IOException {
        try {
            RequestWriter.writeBody(c, body);
            c.flush();
            return true;
        } catch (RequestWriter.BodySourceException e) {
            throw e;
        } catch (IOException e) {
            if (c.timedOut() || !answeredEarly(head)) throw e;
            return false;
        }
    }

    /** @return true if a final response could be read after a failed write; false if none came (a dead connection) */
    private boolean answeredEarly(ResponseHead head) {
        try {
            readFinal(head);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Waits for {@code 100 Continue} (RFC 9110 §10.1.1), at most {@link ClientConfig#expectContinueTimeout()}.
     *
     * @return true if a final response arrived instead: the body must not be sent
     */
    private boolean awaitContinue(ResponseHead head) throws IOException {
        long until = System.nanoTime() + config.expectContinueTimeout().toNanos();
        for (int interim = 0; ; interim++) {
            long wait = until - System.nanoTime();
            if (deadline != 0) wait = Math.min(wait, deadline - System.nanoTime());
            if (wait <= 0) return false;
            if (!c.awaitInput(Duration.ofNanos(wait))) return false; // silence: send the body anyway
            nextHead(head);
            int code = head.status.code();
            if (code == 100) return false;
            if (code >= 200) return true;
            checkInterim(head, interim);
        }
    }

    /** Reads heads until the final response, skipping interim ones. */
    private void readFinal(ResponseHead head) throws IOException {
        for (int interim = 0; ; interim++) {
            nextHead(head);
            if (head.status.code() >= 200) return;
            checkInterim(head, interim);
        }
    }

    private void nextHead(ResponseHead head) throws IOException {
        if (!readHead(c, head)) {
            if (pc.reused) throw new StaleConnection("reused connection to " + pc.route + " was closed by the server", null);
            throw new HttpClientException.IncompleteResponse(
                    "server " + ClientErrors.remote(c) + " closed the connection without sending a response", true);
        }
        if (config.listener() != null) config.listener().responseHead(head.lines);
    }

    /**
     * Feeds the connection's bytes to the {@link ResponseHead} state machine until one head is complete.
     *
     * @return false if the server closed the connection before sending a byte
     * @throws HttpClientException.IncompleteResponse if the connection closed inside the head
     */
    static boolean readHead(Connection c, ResponseHead head) throws IOException {
        head.reset();
        ReadBuffer in = c.input();
        while (true) {
            int start = in.start();
            in.consume(head.parse(in.array(), start, in.end()) - start);
            if (head.done()) return true;
            if (!in.fill(ReadBuffer.Wait.IN_MESSAGE, head.maxPending())) {
                if (!head.started()) return false;
                throw new HttpClientException.IncompleteResponse(head.whyIncomplete(), false);
            }
        }
    }

    /** Accepts an interim response, except 101 (never asked for) or one too many. */
    public static void checkInterim(ResponseHead head, int interim) throws HttpClientException {
        if (head.status.code() == 101) {
            // RFC 9110 §15.2.2: only an answer to Upgrade; this client never asks to switch protocols.
            throw new HttpClientException.MalformedResponse("unexpected 101 Switching Protocols: the client does not "
                    + "support protocol upgrades");
        }
        if (interim >= MAX_INTERIM) {
            throw new HttpClientException.MalformedResponse("more than " + MAX_INTERIM + " interim (1xx) responses");
        }
    }
}
