package dev.porter.core;

/**
 * A snapshot of a server's connection counters.
 *
 * @param accepted connections accepted since start (including rejected ones)
 * @param active   connections open now (served by a thread or parked idle)
 * @param rejected connections closed at once because {@link ServerConfig#maxConnections()} was reached, or
 *                 because their peer was not a trusted proxy on a {@link ServerConfig#proxyProtocol()} listener
 * @param closed   connections closed after being served
 * @param threads  connection threads alive now
 */
public record ServerStats(long accepted, long active, long rejected, long closed, long threads) {
}
