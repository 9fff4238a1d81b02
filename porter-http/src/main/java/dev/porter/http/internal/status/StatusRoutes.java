package dev.porter.http.internal.status;

import dev.porter.http.EventStream;
import dev.porter.http.Request;
import dev.porter.http.Response;
import dev.porter.http.ServerSentEvent;
import dev.porter.http.Status;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;

/**
 * What answers under the status prefix: the page and its two assets, its event stream, the Prometheus text, the
 * JSON, and the health checks. GET and HEAD only. Every answer says {@code nosniff} and is never cached (figures
 * go stale in a second); the page forbids everything its strict Content-Security-Policy does not name: scripts,
 * styles and connections to this origin only, nothing inline, no frames.
 */
final class StatusRoutes {

    /** The page's policy: its own script and stylesheet, its own event stream; nothing inline, nothing else. */
    static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
            + "img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
    private static final Duration EVENT_PERIOD = Duration.ofSeconds(1);
    /** How soon a browser reconnects to the page's stream after losing it (a restart). */
    private static final Duration RECONNECT = Duration.ofSeconds(2);

    private static final byte[] HTML = resource("status.html");
    private static final byte[] CSS = resource("status.css");
    private static final byte[] JS = resource("status.js");

    private final StatusService service;

    StatusRoutes(StatusService service) {
        this.service = service;
    }

    private static byte[] resource(String name) {
        try (InputStream in = StatusRoutes.class.getResourceAsStream(name)) {
            if (in == null) throw new IllegalStateException("missing resource " + name + " of the status page");
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @param sub the raw path after the prefix */
    void handle(String sub, Request req, Response res) throws IOException, InterruptedException {
        if (!req.method().equals("GET") && !req.method().equals("HEAD")) {
            res.status(Status.METHOD_NOT_ALLOWED).setHeader("Allow", "GET, HEAD");
            res.send("the status pages answer GET and HEAD only\n");
            return;
        }
        res.setHeader("X-Content-Type-Options", "nosniff");
        res.setHeader("Cache-Control", "no-store");
        if (!sub.equals("healthz") && !sub.equals("readyz") && !service.page().admits(req.remoteAddress().getAddress())) {
            // Peers' addresses and request lines (tokens in query strings too) are for the operator's eyes.
            // Who may is not said: the networks allowed are no business of whoever is refused.
            res.send(Status.FORBIDDEN, "the status pages answer the addresses allowed only "
                    + "(StatusPage.withViewers; porter: --status-allow ADDR/BITS)\n");
            return;
        }
        switch (sub) {
            case "" -> {
                res.status(Status.FOUND).setHeader("Location", "status");
                res.send("see status\n");
            }
            case "status" -> {
                res.setHeader("Content-Security-Policy", CSP);
                res.setHeader("Referrer-Policy", "no-referrer");
                res.contentType("text/html; charset=utf-8").send(HTML);
            }
            case "status.css" -> res.contentType("text/css; charset=utf-8").send(CSS);
            case "status.js" -> res.contentType("text/javascript; charset=utf-8").send(JS);
            case "status/events" -> events(res);
            case "status.json" -> res.contentType("application/json").send(StatusJson.render(service.snapshot()));
            case "metrics" -> res.contentType(PrometheusText.CONTENT_TYPE)
                    .send(PrometheusText.render(service.metrics(), service.snapshot()));
            case "healthz" -> res.send("ok\n");
            case "readyz" -> {
                if (service.ready()) res.send("ready\n");
                else res.send(Status.SERVICE_UNAVAILABLE, "stopping\n");
            }
            default -> res.send(Status.NOT_FOUND, "no such status page\n");
        }
    }

    /** One snapshot a second until the viewer leaves or the server stops (then EventStreamClosedException). */
    private void events(Response res) throws IOException, InterruptedException {
        EventStream events = res.eventStream();
        events.send(new ServerSentEvent(null, null, StatusJson.render(service.snapshot()), RECONNECT));
        while (true) {
            Thread.sleep(EVENT_PERIOD);
            events.send(ServerSentEvent.of(StatusJson.render(service.snapshot())));
        }
    }
}
