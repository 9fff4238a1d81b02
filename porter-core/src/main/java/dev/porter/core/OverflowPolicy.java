package dev.porter.core;

/** What the welcome socket does with a new client when {@link ServerConfig#maxConnections()} are already open. */
public enum OverflowPolicy {
    /** Accept the socket and close it at once (the client sees the connection reset or closed); counted as rejected. */
    CLOSE,
    /** Stop calling {@code accept()} until a connection ends; new clients wait in the listen backlog. */
    BACKLOG
}
