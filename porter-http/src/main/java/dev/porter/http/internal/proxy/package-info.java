/**
 * The reverse proxy behind {@link dev.porter.http.ProxyHandler}: backends and their health ({@code Backend},
 * {@code HealthChecks}), choosing one ({@code Balancer}), the header rules ({@code HopByHop}, {@code Forwarding},
 * {@code AddressRange}), request body buffering ({@code BufferedBody}) and one forwarded exchange with its retry
 * and error rules ({@code ProxyCall}, {@code Upstream failures}). Built on the client engine of
 * {@code internal.client} (pooled keep-alive connections to backends) and the server's streamed bodies.
 */
package dev.porter.http.internal.proxy;
