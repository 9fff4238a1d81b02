package dev.porter.http.h2;

import dev.porter.http.internal.h2.FrameType;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a client can make the server hold of request bodies its handlers have not read yet: at most about the
 * stream windows it was given (RFC 9113 §5.2), however the body is cut into DATA frames. A body sent one byte per
 * frame must not cost an object per frame. The server runs in a forked JVM whose heap is capped at 64 MiB: a server
 * keeping a copy per frame dies of OutOfMemoryError and exits (50 streams of 65,535 one-byte frames are about 100 MiB held
 * that way, 3.2 MiB of body), and the heap it committed must stay at most 32 MiB.
 */
class Http2RequestBodyMemoryTest {

    private static final int STREAMS = 50;
    private static final int WINDOW = 65_535;

    @Test
    void aBodyInOneByteDataFramesIsHeldAtAboutItsOwnSize() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Process child = new ProcessBuilder(List.of(java, "-Xms16m", "-Xmx64m", "-XX:+UseSerialGC", "-XX:+ExitOnOutOfMemoryError", "-cp", cp,
                H2HoldingChildServer.class.getName()))
                .redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
            String first = out.readLine();
            assertThat(first).as("child server's first line").startsWith("PORT ");
            int port = Integer.parseInt(first.substring(5).trim());
            try (H2Client attacker = H2Client.connect(port)) {
                for (int s = 0; s < STREAMS; s++) {
                    int id = attacker.request("POST", "/hold", false);
                    byte[] frame = H2Client.rawFrame(FrameType.DATA, 0, id, new byte[] {'x'});
                    byte[] frames = new byte[frame.length * WINDOW];
                    for (int i = 0; i < WINDOW; i++) System.arraycopy(frame, 0, frames, i * frame.length, frame.length);
                    attacker.send(frames);
                }
                attacker.roundTrip(); // every DATA frame before the PING was taken in
                try (H2Client other = H2Client.connect(port)) {
                    int id = other.request("GET", "/__heap", true);
                    String[] heap = other.await(id).text().split(" ");
                    System.out.printf("%d streams of %d one-byte DATA frames held: heap committed %d MiB, used %d MiB%n",
                            STREAMS, WINDOW, Long.parseLong(heap[0]) >> 20, Long.parseLong(heap[1]) >> 20);
                    assertThat(child.isAlive()).as("server survived").isTrue();
                    assertThat(Long.parseLong(heap[0])).as("committed heap").isLessThanOrEqualTo(32L << 20);
                }
            }
        } finally {
            child.destroy();
            if (!child.waitFor(10, TimeUnit.SECONDS)) child.destroyForcibly();
        }
    }
}
