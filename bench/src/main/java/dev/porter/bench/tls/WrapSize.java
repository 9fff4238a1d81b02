package dev.porter.bench.tls;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * Whether the JDK's engine costs more when one gathering wrap is handed a whole large buffer than when it is handed
 * 64 KiB pieces of it: thread CPU per MiB of {@code wrap(srcs, bulk)} in the loop of Porter's
 * {@code TlsRecordWriter.wrapAll} (records into a 68 KiB heap buffer while a packet fits, then "sent": cleared),
 * an in-memory engine pair, variants interleaved in one JVM. Also prints what one wrap of 64 KiB consumes and
 * produces (the JDK puts fewer than 16 KiB of data in a record). Records docs/tls.md, "Fourth round".
 *
 * <pre>
 *   java bench/src/main/java/dev/porter/bench/tls/WrapSize.java KEYSTORE.p12 PASSWORD [ROUNDS]
 * </pre>
 */
public final class WrapSize {

    private static final int SIZE = 1 << 20;
    private static final int PIECE = 64 * 1024;
    private static final int PACKET_ROOM = 17 * 1024;
    private static final String[] VARIANTS = {"direct-whole", "direct-64k", "heap-whole", "direct-capped16k"};

    private WrapSize() {
    }

    public static void main(String[] args) throws Exception {
        SSLEngine engine = TlsWriteBatching.handshaken(Path.of(args[0]), args[1].toCharArray())[0];
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 6;
        System.out.println("negotiated " + engine.getSession().getProtocol() + " " + engine.getSession().getCipherSuite());
        ByteBuffer bulk = ByteBuffer.allocate(4 * PACKET_ROOM);
        printRecords(engine, bulk);
        ByteBuffer direct = ByteBuffer.allocateDirect(SIZE);
        ByteBuffer heap = ByteBuffer.allocate(SIZE);
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        for (int round = 0; round < rounds; round++) {
            StringBuilder line = new StringBuilder("round " + round + ":");
            for (String v : VARIANTS) {
                int mib = round == 0 ? 20 : 50; // the first round is the JIT's
                long cpu = mx.getCurrentThreadCpuTime();
                for (int i = 0; i < mib; i++) {
                    ByteBuffer src = (v.startsWith("direct") ? direct : heap).clear();
                    if (v.endsWith("64k")) {
                        for (int at = 0; at < SIZE; at += PIECE) wrapAll(engine, new ByteBuffer[]{src.slice(at, PIECE)}, bulk, false);
                    } else {
                        wrapAll(engine, new ByteBuffer[]{src}, bulk, v.endsWith("capped16k"));
                    }
                }
                cpu = mx.getCurrentThreadCpuTime() - cpu;
                line.append("  ").append(v).append(' ').append(cpu / 1_000 / mib).append(" µs/MiB");
            }
            System.out.println(line);
        }
    }

    /** What wrapping 64 KiB into the bulk buffer does, wrap by wrap: status and bytes consumed/produced. */
    private static void printRecords(SSLEngine engine, ByteBuffer bulk) throws Exception {
        ByteBuffer src = ByteBuffer.allocate(PIECE);
        StringBuilder line = new StringBuilder("64 KiB:");
        bulk.clear();
        while (src.hasRemaining()) {
            SSLEngineResult r = engine.wrap(src, bulk);
            line.append(' ').append(r.getStatus()).append(' ').append(r.bytesConsumed()).append('/').append(r.bytesProduced());
            if (r.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW) bulk.clear(); // "sent"
        }
        System.out.println(line);
    }

    /** TlsRecordWriter.wrapAll's loop without the socket; {@code capped}: the engine sees at most 16 KiB a wrap. */
    private static void wrapAll(SSLEngine engine, ByteBuffer[] srcs, ByteBuffer bulk, boolean capped) throws Exception {
        ByteBuffer src = srcs[0];
        while (src.hasRemaining()) {
            bulk.clear();
            SSLEngineResult r;
            do {
                if (capped) {
                    int limit = src.limit();
                    src.limit(Math.min(limit, src.position() + 16 * 1024));
                    r = engine.wrap(srcs, bulk);
                    src.limit(limit);
                } else {
                    r = engine.wrap(srcs, bulk);
                }
            } while (r.getStatus() == SSLEngineResult.Status.OK && src.hasRemaining() && bulk.remaining() >= PACKET_ROOM);
        }
    }
}
