package dev.porter.http;

import dev.porter.http.testing.TlsClients;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A handshake slowloris, for measuring its cost by hand (docs/security.md): holds N connections to a TLS port, each
 * having sent half of a genuine ClientHello and nothing more; when the server cuts one (its handshake timeout), it
 * is replaced at once. Prints {@code HELD n} once all are open, then every 10 s how many were cut so far. Runs
 * until killed. Loopback only.
 *
 * <pre>{@code java -cp porter-core/target/classes:porter-http/target/classes:porter-http/target/test-classes \
 *     dev.porter.http.TlsHandshakeStaller PORT 1000}</pre>
 */
public final class TlsHandshakeStaller {

    private TlsHandshakeStaller() {
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        int count = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        byte[] hello = TlsClients.clientHello();
        AtomicLong cut = new AtomicLong();
        CountDownLatch open = new CountDownLatch(count);
        for (int i = 0; i < count; i++) {
            Thread.ofVirtual().start(() -> {
                boolean first = true;
                while (true) {
                    try (Socket s = new Socket()) {
                        s.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
                        s.getOutputStream().write(hello, 0, hello.length / 2);
                        if (first) {
                            open.countDown();
                            first = false;
                        }
                        while (s.getInputStream().read() >= 0) {
                            // nothing is expected before the server gives up
                        }
                    } catch (IOException e) {
                        // reset by the server, or refused: try again
                    }
                    cut.incrementAndGet();
                }
            });
        }
        open.await();
        System.out.println("HELD " + count);
        System.out.flush();
        while (true) {
            Thread.sleep(10_000);
            System.out.println("cut so far " + cut.get());
            System.out.flush();
        }
    }
}
