package dev.porter.core;

/**
 * What the core asks a protocol about a wait for input without a timer ({@link Connection#awaitInputWatched}).
 * A timed wait on a virtual thread costs a timer task and a wake-up of the JDK's delay scheduler per wait; an
 * untimed one cannot be ended from this side without destroying the input. So the core's watchdog, which looks at
 * every connection about ten times a second anyway, asks these two questions instead, and the protocol gets its
 * peer to send something when the wait must end.
 *
 * <p>Both methods are called on threads other than the connection's own, while its thread waits: they must be
 * thread-safe, cheap, and never block on the connection's reading thread.
 */
public interface InputWatch {

    /**
     * @return true once the protocol has nothing in flight (an HTTP/2 connection with no stream open). From the
     *         first time the watchdog sees true, the wait is an idle one: a graceful stop ends it (the input reads
     *         end-of-stream), and it ends with a {@link java.net.SocketTimeoutException} once the connection's idle
     *         timeout ({@link Connection#setIdleTimeout}) passed. Called by the watchdog's thread, about ten times a
     *         second; it may turn true once and is not asked again once true.
     */
    boolean quiet();

    /**
     * Asks the peer for bytes, so that the wait ends and the protocol's thread can act (an HTTP/2 PING, which the
     * peer must answer): called at most once per wait, on a virtual thread of its own, when the wait has been quiet
     * for a moment (the protocol would otherwise keep its thread until the idle timeout instead of parking) or a
     * graceful stop began (the protocol would not see it until its peer spoke). A failure to send is the
     * protocol's to report through its own reads and writes; this method must not throw.
     */
    void nudge();

    /**
     * @return true while the protocol has work in flight that this wait does not stop (an HTTP/2 connection's
     *         running streams): a status view then lists the connection as handling rather than idle, whatever its
     *         {@link Connection#activity activity}. Called on other threads, like {@link #quiet()}. The default,
     *         false, suits a conversation waiting for its peer's next message (a WebSocket).
     */
    default boolean busy() {
        return false;
    }
}
