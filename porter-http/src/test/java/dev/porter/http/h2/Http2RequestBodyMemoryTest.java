package dev.porter.http.h2;

import dev.porter.http.internal.h2.FrameType;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a client can make the server hold of request bodies its handlers have not read yet: at most the connection
 * window it was given (RFC 9113 §6.9.1), however many streams carry them and however the body is cut into DATA
 * frames. A body sent one byte per frame must not cost an object per frame. The server runs in a forked JVM whose
 * heap is capped at 64 MiB: a server keeping a copy per frame, or more than a connection window per connection,
 * dies of OutOfMemoryError and exits.
 */
class Http2RequestBodyMemoryTest {

    private static final int STREAMS = 50;
    private static final int WINDOW = 65_535;

    @Test
    void aBodyInOneByteDataFramesIsHeldAtAboutItsOwnSize() throws Exception {
        // 50 streams of 65,535 one-byte frames are about 100 MiB held as a copy per frame, 3.2 MiB of body: the
        // connection window is raised to let them all in, and the heap committed must stay at most 32 MiB.
        Process child = startChild(Integer.toString(4 << 20));
        try {
            int port = port(child);
            try (H2Client attacker = H2Client.connect(port)) {
                for (int s = 0; s < STREAMS; s++) {
                    int id = attacker.request("POST", "/hold", false);
                    byte[] frame = H2Client.rawFrame(FrameType.DATA, 0, id, new byte[] {'x'});
                    byte[] frames = new byte[frame.length * WINDOW];
                    for (int i = 0; i < WINDOW; i++) System.arraycopy(frame, 0, frames, i * frame.length, frame.length);
                    attacker.send(frames);
                }
                attacker.roundTrip(); // every DATA frame before the PING was taken in
                long[] heap = heap(port);
                System.out.printf("%d streams of %d one-byte DATA frames held: heap committed %d MiB, used %d MiB%n",
                        STREAMS, WINDOW, heap[0] >> 20, heap[1] >> 20);
                assertThat(child.isAlive()).as("server survived").isTrue();
                assertThat(heap[0]).as("committed heap").isLessThanOrEqualTo(32L << 20);
            }
        } finally {
            stop(child);
        }
    }

    @Test
    void manyConnectionsOfAHundredUnreadBodiesEachHoldAConnectionWindowEach() throws Exception {
        // 16 connections, each with 100 streams sending whatever the windows allow to a handler that never reads.
        // Replenishing the connection window as DATA arrived let each hold 100 stream windows (6.4 MiB, 102 MiB in
        // all: the server died); bounded by the connection window (1 MiB) they hold 16 MiB.
        int connections = 16;
        Process child = startChild();
        List<H2Client> clients = new ArrayList<>();
        try {
            int port = port(child);
            for (int k = 0; k < connections; k++) {
                H2Client c = H2Client.connect(port);
                clients.add(c);
                WindowedSender sender = new WindowedSender(c);
                int[] ids = new int[100];
                for (int i = 0; i < ids.length; i++) ids[i] = c.request("POST", "/hold", false);
                long sent = sender.fill(ids, WINDOW);
                assertThat(sent).as("bytes connection %d could send", k).isLessThanOrEqualTo(1 << 20);
            }
            long[] heap = heap(port);
            System.out.printf("%d connections of 100 unread bodies: heap committed %d MiB, used %d MiB%n",
                    connections, heap[0] >> 20, heap[1] >> 20);
            assertThat(child.isAlive()).as("server survived").isTrue();
        } finally {
            clients.forEach(H2Client::close);
            stop(child);
        }
    }

    private static Process startChild(String... args) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> command = new ArrayList<>(List.of(java, "-Xms16m", "-Xmx64m", "-XX:+UseSerialGC",
                "-XX:+ExitOnOutOfMemoryError", "-cp", cp, H2HoldingChildServer.class.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(true).start();
    }

    private static int port(Process child) throws Exception {
        BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        String first = out.readLine();
        assertThat(first).as("child server's first line").startsWith("PORT ");
        return Integer.parseInt(first.substring(5).trim());
    }

    /** @return the child's heap committed and in use, in bytes, asked on a connection of its own */
    private static long[] heap(int port) {
        try (H2Client other = H2Client.connect(port)) {
            int id = other.request("GET", "/__heap", true);
            String[] heap = other.await(id).text().split(" ");
            return new long[] {Long.parseLong(heap[0]), Long.parseLong(heap[1])};
        }
    }

    private static void stop(Process child) throws InterruptedException {
        child.destroy();
        if (!child.waitFor(10, TimeUnit.SECONDS)) child.destroyForcibly();
    }
}
