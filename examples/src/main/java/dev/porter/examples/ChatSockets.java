package dev.porter.examples;

import dev.porter.core.Connection;
import dev.porter.http.WebSocket;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The two kinds of sockets a {@link ChatRoom} member may have, seen as lines in and lines out: a TCP connection
 * ({@code nc}, {@code porter send}: a line each, CRLF or LF) and a WebSocket (the browser page: a text message
 * each). One conversation, two kinds of sockets.
 */
final class ChatSockets {

    private ChatSockets() {
    }

    /** Where a member's lines come from. */
    @FunctionalInterface
    interface Lines {
        /** @return the next line, or null when the member's socket ended */
        String next() throws IOException;
    }

    /** @return a TCP connection's lines out: written with CRLF, flushed when the outbox is empty */
    static Member.Outlet tcp(Connection c) {
        return new Member.Outlet() {
            @Override public void send(String line) throws IOException { c.writeLine(line); }
            @Override public void flush() throws IOException { c.flush(); }
            @Override public void abort() { c.close(); }
            @Override public String describe() { return String.valueOf(c.remoteAddress()); }
        };
    }

    /**
     * @return a WebSocket's lines out, a text message each. {@code abort} cannot close the connection under a writer
     *         blocked in a send (a WebSocket's sends hold its lock): it sends Close 1008 from a thread of its own,
     *         which leaves as soon as the blocked send does, at the latest when the send timeout drops the peer
     */
    static Member.Outlet websocket(WebSocket ws) {
        AtomicBoolean aborted = new AtomicBoolean();
        return new Member.Outlet() {
            @Override public void send(String line) throws IOException { ws.sendText(line); }
            @Override public void flush() {
                // each message is flushed as it is sent
            }

            @Override
            public void abort() {
                if (!aborted.compareAndSet(false, true)) return;
                Thread.ofVirtual().name("chat-abort").start(() -> {
                    try {
                        ws.close(1008, "too slow");
                    } catch (IOException e) {
                        // the connection is gone already: nothing left to close
                    }
                });
            }

            @Override public String describe() { return "ws:" + ws.request().remoteAddress(); }
        };
    }

    /**
     * A WebSocket's lines in: each text message, split at its line ends (so a message cannot smuggle a line that
     * looks like the room's own, such as {@code * bob left}, to the TCP members). A binary message ends the
     * conversation with 1003 (unsupported data): the room speaks text.
     */
    static Lines lines(WebSocket ws) {
        ArrayDeque<String> pending = new ArrayDeque<>();
        return () -> {
            while (pending.isEmpty()) {
                WebSocket.Message m = ws.receive();
                if (m == null) return null;
                if (!(m instanceof WebSocket.Text t)) {
                    ws.close(1003, "this chat speaks text");
                    return null;
                }
                for (String line : t.text().split("\r\n|\r|\n", -1)) pending.add(line);
            }
            return pending.poll();
        };
    }
}
