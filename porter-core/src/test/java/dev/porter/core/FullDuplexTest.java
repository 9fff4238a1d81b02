package dev.porter.core;

import dev.porter.core.internal.BufferPool;
import dev.porter.core.testing.Await;
import dev.porter.core.testing.Mailbox;
import dev.porter.core.testing.RawClient;
import dev.porter.core.testing.TestServers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import static org.assertj.core.api.Assertions.assertThat;

/** One thread reads a connection while others write to it: the contract a chat room relies on. */
class FullDuplexTest {

    private final Deque<ByteBuffer> heldFromPool = new ArrayDeque<>();

    /** Empties the process-wide pool, so that what is in it afterwards was given back by the connection under test. */
    @BeforeEach
    void emptyTheSharedPool() {
        while (BufferPool.shared().pooled() > 0) heldFromPool.push(BufferPool.shared().acquire());
    }

    @AfterEach
    void refillTheSharedPool() {
        while (!heldFromPool.isEmpty()) BufferPool.shared().release(heldFromPool.pop());
    }

    @Test
    void anotherThreadWritesWhileTheProtocolThreadBlocksReading() {
        Mailbox<Connection> connections = new Mailbox<>();
        Mailbox<String> received = new Mailbox<>();
        Protocol readOnly = c -> {
            connections.put(c);
            for (String line; (line = c.readLine()) != null; ) received.put(line);
        };
        try (Server server = TestServers.start(readOnly);
             RawClient client = RawClient.connect(server)) {
            Connection c = connections.take();
            // An idle reader waits in a small private array: it never takes a pooled input buffer.
            client.sendLine("warm-up");
            assertThat(received.take()).isEqualTo("warm-up");
            for (int i = 0; i < 500; i++) {
                c.writeLine("pushed " + i);
                c.flush();
            }
            for (int i = 0; i < 500; i++) assertThat(client.readLine()).isEqualTo("pushed " + i);
            // The writer gives the output buffer back when it flushes while the reader waits idle.
            Await.until("the writer gave the output buffer back", () -> {
                try {
                    c.flush();
                } catch (IOException e) {
                    throw new AssertionError(e);
                }
                // One buffer, or two if the writer took a fresh one before the reader gave its input buffer back.
                return BufferPool.shared().pooled() >= 1;
            });

            client.sendLine("and the reader still reads");
            assertThat(received.take()).isEqualTo("and the reader still reads");
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void concurrentWritersNeverInterleaveInsideALineOrFrame() throws Exception {
        Mailbox<Connection> connections = new Mailbox<>();
        CountDownLatch done = new CountDownLatch(1);
        Protocol holdOpen = c -> {
            connections.put(c);
            done.await();
        };
        int writers = 4;
        int perWriter = 300;
        try (Server server = TestServers.start(holdOpen);
             RawClient client = RawClient.connect(server)) {
            Connection c = connections.take();
            List<Thread> threads = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                int id = w;
                threads.add(Thread.ofVirtual().start(() -> {
                    try {
                        for (int i = 0; i < perWriter; i++) {
                            c.writeLine("writer " + id + " line " + i + " " + "x".repeat(200));
                            if (i % 7 == 0) c.flush();
                        }
                        c.flush();
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }));
            }
            for (Thread t : threads) Await.join("a writer finishes", t);
            int[] next = new int[writers];
            for (int i = 0; i < writers * perWriter; i++) {
                String line = client.readLine();
                assertThat(line).matches("writer \\d line \\d+ x{200}");
                int id = line.charAt(7) - '0';
                // Each writer's lines arrive whole and in that writer's order.
                assertThat(line).startsWith("writer " + id + " line " + next[id] + " ");
                next[id]++;
            }
            done.countDown();
        }
    }
}
