package dev.porter.examples;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * One person in a {@link ChatRoom}: where their lines go (a TCP connection or a WebSocket, see {@link Outlet}),
 * their current nick, and a bounded outbox of lines waiting to be sent to them, drained by a writer thread of
 * their own.
 *
 * <p>Why an outbox: whoever speaks only enqueues ({@link #offer}, never blocks), so a member who reads slowly (or
 * not at all) delays nobody but themselves. The outbox is bounded, so such a member cannot hold unbounded memory
 * either: when it is full, {@link #offer} says so and the room disconnects them.
 *
 * <p>Thread-safety: {@link #offer} and {@link #disconnectTooSlow} from any thread; the nick is read and changed
 * only under the room's lock. The socket is read by the member's own thread and written only by the writer thread
 * (both kinds are full duplex).
 */
final class Member {

    /** Where a member's lines go, whatever the socket. */
    interface Outlet {
        /** Sends (or buffers) one line; may block while the peer does not read. */
        void send(String line) throws IOException;

        /** Sends what {@link #send} buffered. */
        void flush() throws IOException;

        /** Drops the socket at once, from any thread, never blocking (a writer may be stuck in {@link #send}). */
        void abort();

        /** @return who this is, for the log */
        String describe();
    }

    private static final System.Logger LOG = System.getLogger(Member.class.getName());

    /** Marks the end of the outbox: the writer flushes what came before it and stops. */
    private static final String END = new String("end of outbox"); // compared by identity, never equal to a line

    private final Outlet outlet;
    private final BlockingQueue<String> outbox;
    private final int capacity;
    private final Thread writer;
    private volatile boolean tooSlow;
    String nick;

    Member(Outlet outlet, int outboxCapacity) {
        this.outlet = outlet;
        this.capacity = outboxCapacity;
        this.outbox = new ArrayBlockingQueue<>(outboxCapacity + 1); // + 1: room for END even when full of lines
        this.writer = Thread.ofVirtual().name("chat-writer-" + outlet.describe()).unstarted(this::deliver);
    }

    void start() {
        writer.start();
    }

    /**
     * Queues a line for this member without blocking.
     *
     * @return false if the outbox is full: the member does not keep up
     */
    boolean offer(String line) {
        // Lines may take `capacity` slots; the last slot is kept for END. Offers come one at a time (under the
        // room's lock), so the size check cannot race with another line.
        return outbox.size() < capacity && outbox.offer(line);
    }

    /** Disconnects a member that does not keep up; their own thread then leaves the room. */
    void disconnectTooSlow() {
        tooSlow = true;
        outlet.abort();
    }

    /** @return true if the room disconnected this member for not keeping up */
    boolean wasTooSlow() {
        return tooSlow;
    }

    /**
     * Lets the writer send what is queued, then stops it; waits at most {@code grace} before closing the
     * connection under it. Called once, by the member's own thread, after the member left the room (so
     * nothing is queued after END).
     */
    void finish(Duration grace) throws InterruptedException {
        outbox.add(END); // never full: END has a slot of its own
        if (!writer.join(grace)) {
            outlet.abort(); // a peer that does not read: its pending lines are lost, as they must be
            writer.join();
        }
    }

    private void deliver() {
        try {
            while (true) {
                String line = outbox.take();
                // Send everything already queued before flushing once: a busy room costs one write, not one per line.
                while (line != END && line != null) {
                    outlet.send(line);
                    line = outbox.poll();
                }
                outlet.flush();
                if (line == END) return;
            }
        } catch (IOException e) {
            // The member left, or stopped reading past the write timeout: the reader sees the close and leaves.
            LOG.log(System.Logger.Level.DEBUG, () -> "delivery to " + nick + " ended: " + e);
            outlet.abort();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            outlet.abort();
        }
    }
}
