/**
 * Shared test fixture for every Porter module (published in porter-core's test-jar): start and stop servers on
 * loopback ({@link dev.porter.core.testing.TestServers}), talk to them over a plain {@link java.net.Socket}
 * ({@link dev.porter.core.testing.RawClient}), wait without hanging ({@link dev.porter.core.testing.Await}),
 * check that nothing leaked ({@link dev.porter.core.testing.Leaks}), capture log records
 * ({@link dev.porter.core.testing.LogCapture}) and make certificates for TLS tests
 * ({@link dev.porter.core.testing.TestCertificates}; a module using it needs {@code bcpkix-jdk18on} as a test
 * dependency too, since a test-jar brings none of its own).
 *
 * <p>Every wait is bounded by {@link dev.porter.core.testing.TestServers#TIMEOUT}, generous on purpose: tests
 * assert what happens, never how fast, and a broken server fails a test instead of hanging the build.
 */
package dev.porter.core.testing;
