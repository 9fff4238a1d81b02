package dev.porter.cli;

import java.time.Duration;
import java.util.function.Consumer;

/**
 * What a server command does on SIGTERM (and SIGINT) behind a load balancer: stop accepting, so the port refuses
 * new connections and the balancer's health checks fail; keep serving the open connections for the drain grace
 * while the balancer takes the node out; then the graceful stop. Without a drain grace, the graceful stop at once.
 * An HTTP server with its status page on drains by readiness instead: {@code /.porter/readyz} answers 503
 * ({@code Server.isStopping()}) while new connections are still served for the grace (the page's
 * {@code drainDelay}, inside {@code HttpServer.stop}), so a balancer polling readyz takes it out with no
 * connection refused at all.
 *
 * <p>Why the port is closed otherwise: it works for every protocol (echo and chat too) and for every balancer
 * that checks by connecting, and a refused connection is one HAProxy and nginx retry on another server without
 * the client seeing it.
 */
final class Drain {

    /** The two steps, for any kind of server. */
    interface Target {
        void stopAccepting();

        void stop(Duration grace);
    }

    private Drain() {
    }

    /** @return the steps for a socket server */
    static Target of(dev.porter.core.Server server) {
        return new Target() {
            @Override public void stopAccepting() { server.stopAccepting(); }
            @Override public void stop(Duration grace) { server.stop(grace); }
        };
    }

    /** @return the steps for an HTTP server and its optional http-to-https redirect server (stopped first) */
    static Target of(dev.porter.http.HttpServer server, dev.porter.http.HttpServer redirect) {
        return new Target() {
            @Override
            public void stopAccepting() {
                server.stopAccepting();
                if (redirect != null) redirect.stopAccepting();
            }

            @Override
            public void stop(Duration grace) {
                if (redirect != null) redirect.stop(grace);
                server.stop(grace);
            }
        };
    }

    /**
     * Runs the drain on the calling (shutdown-hook) thread.
     *
     * @param log where one line says the drain began (the process's stdout)
     */
    static void run(Target server, Duration drainGrace, Duration grace, Consumer<String> log) {
        run(server, drainGrace, false, grace, log);
    }

    /**
     * @param byReadiness the server has a readiness endpoint whose stop waits the drain grace itself (a status
     *                    page built by {@link StatusOptions#page}): only say so, then stop
     */
    static void run(Target server, Duration drainGrace, boolean byReadiness, Duration grace, Consumer<String> log) {
        if (byReadiness && !drainGrace.isZero()) {
            log.accept("Draining: readyz answers 503; serving new and open connections for " + drainGrace.toMillis() + " ms");
        } else if (!drainGrace.isZero()) {
            server.stopAccepting();
            log.accept("Draining: no new connections; serving open ones for " + drainGrace.toMillis() + " ms");
            try {
                Thread.sleep(drainGrace);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt(); // the JVM is going: stop now
            }
        }
        server.stop(grace);
    }
}
