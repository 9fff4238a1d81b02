package dev.porter.http;

/**
 * Counters of one {@link HttpClient}, read at one moment.
 *
 * @param connectionsOpened connections opened since the client was created
 * @param exchanges         request/response exchanges completed (each redirect hop and retry counts)
 * @param idleConnections   keep-alive connections waiting in the pool now
 */
public record ClientStats(long connectionsOpened, long exchanges, int idleConnections) {
}
