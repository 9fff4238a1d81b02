package dev.porter.http.internal.proxy;

import dev.porter.http.internal.ClientPresence;
import dev.porter.http.internal.client.PreparedRequest;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Gives up the proxy's requests whose client left while the backend had not answered, as nginx does
 * ({@code proxy_ignore_client_abort off}): the backend connection is closed rather than held until an answer
 * nobody will read. A fast exchange costs an entry in a set and nothing else: one virtual thread per proxy, started
 * with the first request, looks at the waits once a second, and only a wait for an answer (the request and its body
 * sent) that lasted a second gets a watcher, a virtual thread of its own that looks at its client (on HTTP/1 by
 * waiting for its input, which the handling thread does not touch while it waits for the backend) until the wait
 * ends. Thread-safe.
 */
final class ClientWatch implements AutoCloseable {

    private static final long SLOW_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final long SWEEP_MILLIS = 1000;
    /** How long a watcher looks before it asks again whether the wait ended: what a slow answer may wait for it. */
    private static final Duration LOOK = Duration.ofMillis(50);

    /** One request waiting for its backend's answer. */
    final class Wait {
        private final PreparedRequest request;
        private final ClientPresence client;
        private volatile boolean done;
        /** Guarded by this. */
        private Thread watcher;

        private Wait(PreparedRequest request, ClientPresence client) {
            this.request = request;
            this.client = client;
        }

        /**
         * The answer's head arrived, or the exchange failed: the watcher, if any, is waited for, so that the
         * handling thread has its client's connection to itself again when this returns.
         */
        void end() {
            done = true;
            waits.remove(this);
            Thread w;
            synchronized (this) {
                w = watcher;
            }
            if (w == null) return;
            boolean interrupted = false;
            while (true) {
                try {
                    w.join();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true; // the connection is not this thread's until the watcher is done
                }
            }
            if (interrupted) Thread.currentThread().interrupt();
        }

        private void watchIfSlow(long now) {
            // Only once the request is sent: until then this thread reads the client's connection for its body.
            long since = request.awaitingSince();
            if (since == 0 || now - since < SLOW_NANOS) return;
            synchronized (this) {
                if (done || watcher != null) return;
                watcher = Thread.ofVirtual().name("porter-proxy-client-watch").start(this::watch);
            }
        }

        private void watch() {
            while (!done) {
                switch (client.look(LOOK)) {
                    case LEFT -> {
                        if (!done) request.abort();
                        return;
                    }
                    case THERE -> {
                        return; // it sent its next request: it is there, and its bytes wait for this one's answer
                    }
                    case NONE -> {
                    }
                }
            }
        }
    }

    private final Set<Wait> waits = ConcurrentHashMap.newKeySet();
    private final Object lock = new Object();
    private volatile Thread sweeper;
    private volatile boolean closed;

    /** @return the wait of {@code request} for its answer, watched for {@code client} leaving; {@link Wait#end} it */
    Wait start(PreparedRequest request, ClientPresence client) {
        Wait w = new Wait(request, client);
        waits.add(w);
        if (sweeper == null) {
            synchronized (lock) {
                if (sweeper == null && !closed) sweeper = Thread.ofVirtual().name("porter-proxy-client-sweep").start(this::sweep);
            }
        }
        return w;
    }

    private void sweep() {
        while (!closed) {
            try {
                Thread.sleep(SWEEP_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
            long now = System.nanoTime();
            for (Wait w : waits) w.watchIfSlow(now);
        }
    }

    @Override
    public void close() {
        closed = true;
        synchronized (lock) {
            if (sweeper != null) sweeper.interrupt();
        }
    }
}
