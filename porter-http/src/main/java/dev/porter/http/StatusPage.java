package dev.porter.http;

import dev.porter.core.AddressRange;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The live status page of an {@link HttpServer}, off unless {@link HttpConfig.Builder#statusPage(StatusPage)}
 * turns it on. Under {@link #prefix()} (by default {@code /.porter/}, a dot-name that static files never serve)
 * the server itself answers, before the application's handler sees the request:
 * <ul>
 *   <li>{@code status}: an HTML page (with {@code status.css} and {@code status.js} beside it, under a strict
 *       Content-Security-Policy) updated once a second over server-sent events from {@code status/events}</li>
 *   <li>{@code metrics}: the same figures in the Prometheus text format 0.0.4</li>
 *   <li>{@code status.json}: the same figures as JSON</li>
 *   <li>{@code healthz}: 200 {@code ok} while the server runs</li>
 *   <li>{@code readyz}: 200 {@code ready}, or 503 from the moment a graceful stop begins, so a load balancer sends
 *       no new clients while the requests in flight finish</li>
 * </ul>
 * {@code healthz} and {@code readyz} answer anyone (a load balancer checks from its own address); the others list
 * peers' addresses and request lines (query strings included), so they answer only clients in {@link #viewers()},
 * loopback by default, and others 403 — as Apache's {@code server-status} ({@code Require local}) and Caddy's admin
 * endpoint (localhost) do. The client is {@link Request#remoteAddress()}: behind a trusted proxy, the client it
 * names.
 *
 * @param prefix               the path the pages live under: starts and ends with {@code /}, letters, digits and
 *                             {@code . - _ ~ /} only. Default {@code /.porter/}
 * @param maxConnectionsListed connections listed one by one on the page and in the JSON (oldest first); all of
 *                             them are counted by state. Default 100, at most 10,000
 * @param drainDelay           how long a graceful stop ({@link HttpServer#stop}) keeps serving normally with
 *                             {@code readyz} answering 503 before it stops accepting, so a load balancer polling it
 *                             has time to take the node out. Default 0: readyz turns 503 and the stop proceeds
 * @param viewers              the clients that may read the page, its feed, status.json and metrics. Default
 *                             {@link AddressRange#LOOPBACK}; {@link #ANYONE} for everyone
 */
public record StatusPage(String prefix, int maxConnectionsListed, Duration drainDelay, List<AddressRange> viewers) {

    /** Every address, IPv4 and IPv6: for {@link #withViewers} on a page meant to be public. */
    public static final List<AddressRange> ANYONE = List.of(AddressRange.parse("0.0.0.0/0"), AddressRange.parse("::/0"));

    /** Validates every value. */
    public StatusPage {
        Objects.requireNonNull(prefix, "prefix");
        Objects.requireNonNull(drainDelay, "drainDelay");
        viewers = List.copyOf(Objects.requireNonNull(viewers, "viewers"));
        if (prefix.length() < 3 || !prefix.startsWith("/") || !prefix.endsWith("/")) {
            throw new IllegalArgumentException("the status prefix must start and end with / and name a path: " + prefix);
        }
        for (int i = 0; i < prefix.length(); i++) {
            char c = prefix.charAt(i);
            boolean ok = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || ".-_~/".indexOf(c) >= 0;
            if (!ok) throw new IllegalArgumentException("the status prefix may hold letters, digits and . - _ ~ / only: " + prefix);
        }
        if (prefix.contains("//") || prefix.contains("/./") || prefix.contains("/../")) {
            throw new IllegalArgumentException("the status prefix must be a normalized path: " + prefix);
        }
        if (maxConnectionsListed < 0 || maxConnectionsListed > 10_000) {
            throw new IllegalArgumentException("maxConnectionsListed must be 0..10000: " + maxConnectionsListed);
        }
        if (drainDelay.isNegative()) throw new IllegalArgumentException("drainDelay must not be negative: " + drainDelay);
    }

    /** The pages for loopback viewers only, as {@link #defaults()}. */
    public StatusPage(String prefix, int maxConnectionsListed, Duration drainDelay) {
        this(prefix, maxConnectionsListed, drainDelay, AddressRange.LOOPBACK);
    }

    /** @return the pages under {@code /.porter/}, 100 connections listed, no drain delay, loopback viewers */
    public static StatusPage defaults() {
        return new StatusPage("/.porter/", 100, Duration.ZERO);
    }

    /** @return a copy under this prefix */
    public StatusPage withPrefix(String p) {
        return new StatusPage(p, maxConnectionsListed, drainDelay, viewers);
    }

    /** @return a copy listing at most this many connections */
    public StatusPage withMaxConnectionsListed(int n) {
        return new StatusPage(prefix, n, drainDelay, viewers);
    }

    /** @return a copy whose graceful stop first answers readyz 503 for this long */
    public StatusPage withDrainDelay(Duration d) {
        return new StatusPage(prefix, maxConnectionsListed, d, viewers);
    }

    /** @return a copy readable by clients in these ranges (healthz and readyz answer anyone regardless) */
    public StatusPage withViewers(List<AddressRange> v) {
        return new StatusPage(prefix, maxConnectionsListed, drainDelay, v);
    }

    /** @return true if {@code client} may read the page, its feed, status.json and metrics */
    public boolean admits(java.net.InetAddress client) {
        return client != null && AddressRange.anyContains(viewers, client);
    }
}
