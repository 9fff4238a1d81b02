package dev.porter.core;

/**
 * What a server's connection is doing at the moment a {@link Server#connections()} snapshot is taken. Derived
 * from fields the connection keeps anyway (whether its thread waits for a new message, the deadline of a blocking
 * read or write in progress) plus the label a protocol set with {@link Connection#activity(Object)}.
 */
public enum ConnectionState {
    /** The TLS handshake is running. */
    HANDSHAKE,
    /** Waiting for the next message, holding its (virtual) thread: between requests, before it parks. */
    IDLE,
    /** Blocked reading inside a message (a request head arriving, a body being read). */
    READING,
    /** The protocol is working on a message (an HTTP handler runs), not blocked on the socket. */
    HANDLING,
    /** Blocked writing: the client is not taking the bytes as fast as they come. */
    WRITING,
    /** Parked without a thread or buffers, watched by the idle poller until the client speaks again. */
    PARKED
}
