package dev.porter.bench.ws;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The WebSocket load client of {@code bench/run}: a small client of its own over NIO (RFC 6455 framing, masked
 * as a client must), so that it costs the machine less than the servers it measures. Two modes:
 *
 * <pre>
 * WsLoad echo --port P [--host 127.0.0.1] [--path /ws] [--connections 64] [--in-flight 1] [--size 64]
 *             [--text | --binary] [--seconds 10] [--warmup 1] [--threads 2] [--verify-every 8] [--timeout 5]
 *             [--sources N] [--server-pid PID]
 * WsLoad idle --port P [--host 127.0.0.1] [--path /ws] [--connections 10000] [--sources N|auto] [--timeout 10]
 * </pre>
 *
 * <p>{@code echo} prints one line, in the form of {@code bench/wrk/report.lua}'s:
 * {@code RESULT requests=R duration_us=D bytes=B p50_us=P p99_us=Q errors=E non2xx=0 cpu_ticks=S
 * client_cpu_ticks=C connections=N retransmitted=T} — echoes in the measured window, the window, payload bytes
 * echoed, latency percentiles, errors, the server's and the client's CPU time over the window (clock ticks; -1
 * without {@code --server-pid}), connections opened, TCP segments retransmitted in the window ({@link NetStat}) —
 * and a human summary on standard error. See {@link EchoLoad}.
 *
 * <p>{@code idle} speaks {@code IdleConnections}' protocol: prints {@code open N failed M} once the connections
 * are up; on an input line {@code check} prints {@code alive K}; at end of input closes everything and exits.
 * See {@link IdleLoad}.
 *
 * <p>Loopback only: the host must be in 127.0.0.0/8 or ::1. {@code --sources N} connects from 127.0.0.1 …
 * 127.0.0.N in turn (more four-tuples when one source address's ephemeral ports run short); {@code auto} takes
 * as many as the connection count needs at 80% of the ephemeral port range each.
 */
public final class WsLoad {

    private WsLoad() {}

    /**
     * Runs the client.
     *
     * @param args the mode and its options
     * @throws Exception on bad options, or when interrupted
     */
    public static void main(String[] args) throws Exception {
        if (args.length == 0 || (!args[0].equals("echo") && !args[0].equals("idle"))) {
            throw new IllegalArgumentException("usage: WsLoad echo|idle --port P [options] (see the class doc)");
        }
        Map<String, String> o = options(args);
        InetAddress host = InetAddress.getByName(o.getOrDefault("host", "127.0.0.1"));
        if (!host.isLoopbackAddress()) throw new IllegalArgumentException("loopback only: " + host);
        if (!o.containsKey("port")) throw new IllegalArgumentException("--port is required");
        InetSocketAddress server = new InetSocketAddress(host, Integer.parseInt(o.get("port")));
        String path = o.getOrDefault("path", "/ws");
        if (args[0].equals("echo")) echo(server, path, o);
        else idle(server, path, o);
    }

    private static void echo(InetSocketAddress server, String path, Map<String, String> o) throws InterruptedException {
        int connections = Integer.parseInt(o.getOrDefault("connections", "64"));
        EchoLoad.Options options = new EchoLoad.Options(server, path, connections,
            Integer.parseInt(o.getOrDefault("in-flight", "1")),
            Integer.parseInt(o.getOrDefault("size", "64")),
            !o.containsKey("binary"),
            Math.round(Double.parseDouble(o.getOrDefault("warmup", "1")) * 1000),
            Math.round(Double.parseDouble(o.getOrDefault("seconds", "10")) * 1000),
            Integer.parseInt(o.getOrDefault("threads", "2")),
            Integer.parseInt(o.getOrDefault("verify-every", "8")),
            (int) Math.round(Double.parseDouble(o.getOrDefault("timeout", "5")) * 1000),
            sources(server.getAddress(), o.getOrDefault("sources", "1"), connections),
            Long.parseLong(o.getOrDefault("server-pid", "0")));
        EchoResult r = new EchoLoad(options).run();
        double seconds = r.durationNanos() / 1e9;
        System.out.printf(Locale.ROOT,
            "RESULT requests=%d duration_us=%d bytes=%d p50_us=%d p99_us=%d errors=%d non2xx=0 cpu_ticks=%d"
                + " client_cpu_ticks=%d connections=%d retransmitted=%d%n",
            r.echoes(), r.durationNanos() / 1000, r.bytes(), r.latency().percentile(0.50), r.latency().percentile(0.99),
            r.errors(), r.serverCpuTicks(), r.clientCpuTicks(), r.opened(), r.retransmitted());
        System.out.flush();
        System.err.printf(Locale.ROOT, "ws echo: %d connections x %d in flight, %d-byte %s messages: %.0f echoes/s, "
                + "p50 %d us, p99 %d us, %d errors%n", r.opened(), options.inFlight(), options.size(),
            options.text() ? "text" : "binary", r.echoes() / seconds, r.latency().percentile(0.50),
            r.latency().percentile(0.99), r.errors());
        for (String e : r.firstErrors()) System.err.println("ws echo: error: " + e);
    }

    private static void idle(InetSocketAddress server, String path, Map<String, String> o) throws Exception {
        int count = Integer.parseInt(o.getOrDefault("connections", "10000"));
        List<InetAddress> sources = sources(server.getAddress(), o.getOrDefault("sources", "auto"), count);
        int timeoutMs = (int) Math.round(Double.parseDouble(o.getOrDefault("timeout", "10")) * 1000);
        try (IdleLoad idle = IdleLoad.open(server, path, count, sources, timeoutMs)) {
            System.out.println("open " + idle.opened() + " failed " + idle.failed());
            System.out.flush();
            for (String e : idle.firstErrors()) System.err.println("ws idle: error: " + e);
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII));
            for (String line; (line = in.readLine()) != null; ) {
                if (line.equals("check")) {
                    System.out.println("alive " + idle.alive());
                    System.out.flush();
                }
            }
        }
    }

    /**
     * The local addresses to connect from.
     *
     * @param server the server's address
     * @param spec   a count, or {@code auto}
     * @param count  how many connections will be opened
     * @return the addresses; empty for "let the system choose" (one source)
     */
    static List<InetAddress> sources(InetAddress server, String spec, int count) {
        int n = spec.equals("auto") ? autoSources(count, ephemeralPorts()) : Integer.parseInt(spec);
        List<InetAddress> sources = new ArrayList<>();
        if (n <= 1) return sources;
        if (server.getAddress().length != 4) throw new IllegalArgumentException("--sources needs an IPv4 loopback server");
        for (int i = 1; i <= n; i++) {
            try {
                sources.add(InetAddress.getByAddress(new byte[] {127, 0, 0, (byte) i}));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
        return sources;
    }

    /** @return source addresses needed for {@code count} connections at 80% of {@code ports} each (1..250) */
    static int autoSources(int count, int ports) {
        int perSource = Math.max(1, ports * 8 / 10);
        return Math.max(1, Math.min(250, (count + perSource - 1) / perSource));
    }

    /** @return the size of the ephemeral port range, or 28,232 (Linux's default) when it cannot be read */
    static int ephemeralPorts() {
        try {
            String[] range = Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).trim().split("\\s+");
            return Integer.parseInt(range[1]) - Integer.parseInt(range[0]) + 1;
        } catch (IOException | RuntimeException e) {
            return 28_232;
        }
    }

    /** Parses {@code --name value} and the flags {@code --text} and {@code --binary} after the mode. */
    static Map<String, String> options(String[] args) {
        Map<String, String> o = new HashMap<>();
        for (int i = 1; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--")) throw new IllegalArgumentException("unexpected argument " + a);
            String name = a.substring(2);
            if (name.equals("text") || name.equals("binary")) {
                o.remove("text");
                o.remove("binary");
                o.put(name, "");
            } else {
                if (i + 1 >= args.length) throw new IllegalArgumentException(a + " needs a value");
                o.put(name, args[++i]);
            }
        }
        return o;
    }
}
