package dev.porter.http.h2;

import dev.porter.http.internal.h2.FrameParser;
import dev.porter.http.internal.h2.FrameType;
import dev.porter.http.internal.h2.FrameWriter;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.DataInputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.Writer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a hostile server can make Porter's HTTP/2 client hold of response bodies its caller has not read yet: about
 * the stream windows it gave (256 KiB each), however the server cuts the body into DATA frames. The client runs in
 * a forked JVM whose heap is capped at 32 MiB; this test is the server: it answers six requests with a window each
 * of one-byte DATA frames (an array per frame would be some 8 MiB per stream, 48 MiB, and the client would die of
 * OutOfMemoryError and exit), then checks the client's committed heap stayed at most 16 MiB.
 */
class Http2ResponseBodyMemoryTest {

    private static final int STREAMS = 6;
    private static final int WINDOW = 256 * 1024;

    @Test
    void aBodyInOneByteDataFramesIsHeldAtAboutItsOwnSize() throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
            Process child = new ProcessBuilder(List.of(java, "-Xms8m", "-Xmx32m", "-XX:+UseSerialGC",
                    "-XX:+ExitOnOutOfMemoryError", "-cp", cp, H2ClientHoldingChild.class.getName(),
                    String.valueOf(listener.getLocalPort()), String.valueOf(STREAMS)))
                    .redirectErrorStream(true).start();
            listener.setSoTimeout(30_000);
            try (Socket s = listener.accept()) {
                s.setSoTimeout(30_000);
                DataInputStream in = new DataInputStream(s.getInputStream());
                OutputStream out = s.getOutputStream();
                in.readFully(new byte[FrameParser.PREFACE.length]);
                out.write(H2Client.rawFrame(FrameType.SETTINGS, 0, 0, new byte[0]));
                List<Integer> streams = new ArrayList<>();
                while (streams.size() < STREAMS) {
                    int[] f = readFrame(in);
                    if (f[0] == FrameType.SETTINGS && (f[1] & FrameType.FLAG_ACK) == 0) {
                        out.write(H2Client.rawFrame(FrameType.SETTINGS, FrameType.FLAG_ACK, 0, new byte[0]));
                    } else if (f[0] == FrameType.HEADERS) {
                        streams.add(f[2]);
                    }
                }
                for (int id : streams) {
                    out.write(H2Client.rawFrame(FrameType.HEADERS, FrameType.FLAG_END_HEADERS, id, new byte[] {(byte) 0x88}));
                    byte[] frame = H2Client.rawFrame(FrameType.DATA, 0, id, new byte[] {'x'});
                    byte[] frames = new byte[frame.length * WINDOW];
                    for (int i = 0; i < WINDOW; i++) System.arraycopy(frame, 0, frames, i * frame.length, frame.length);
                    out.write(frames);
                }
                byte[] ping = new byte[17];
                FrameWriter.ping(ping, 0, 42, false);
                out.write(ping);
                out.flush();
                int[] f;
                do {
                    f = readFrame(in); // every DATA frame before the PING was taken in once its ACK comes
                } while (f[0] != FrameType.PING || (f[1] & FrameType.FLAG_ACK) == 0);
                Writer ask = new java.io.OutputStreamWriter(child.getOutputStream(), StandardCharsets.UTF_8);
                ask.write("heap?\n");
                ask.flush();
                BufferedReader answer = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
                String line = answer.readLine();
                assertThat(line).as("the client's answer (null: it died)").isNotNull().doesNotStartWith("FAILED");
                String[] heap = line.split(" ");
                System.out.printf("%d streams of %d one-byte DATA frames held by the client: heap committed %d MiB, used %d MiB%n",
                        STREAMS, WINDOW, Long.parseLong(heap[0]) >> 20, Long.parseLong(heap[1]) >> 20);
                assertThat(Long.parseLong(heap[0])).as("committed heap").isLessThanOrEqualTo(16L << 20);
            } finally {
                if (child.waitFor(100, TimeUnit.MILLISECONDS)) {
                    System.out.println("the client exited: " + new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
                }
                child.destroy();
                if (!child.waitFor(10, TimeUnit.SECONDS)) child.destroyForcibly();
            }
        }
    }

    /** @return type, flags and stream of the next frame, its payload skipped */
    private static int[] readFrame(DataInputStream in) throws Exception {
        byte[] h = new byte[FrameParser.HEADER_LENGTH];
        in.readFully(h);
        int length = (h[0] & 0xff) << 16 | (h[1] & 0xff) << 8 | h[2] & 0xff;
        in.readFully(new byte[length]);
        return new int[] {h[3] & 0xff, h[4] & 0xff, H2Client.readInt(h, 5) & 0x7fffffff};
    }
}
