package dev.porter.bench.peers;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The command line every peer takes: {@code <port> <staticDir>}, and the jobs they all serve.
 * Every peer listens on {@link #HOST} only, answers {@code GET /plaintext} with {@link #PLAINTEXT} as
 * {@code text/plain} (Content-Length 13), and serves the files of {@code staticDir} under {@code /static/}.
 *
 * @param port      the TCP port on 127.0.0.1
 * @param staticDir the folder served under {@code /static/}; must exist
 */
public record PeerArgs(int port, Path staticDir) {

    /** Loopback only: the bench never listens on a public interface. */
    public static final String HOST = "127.0.0.1";

    /** The plaintext body, as bytes (13 of them). */
    public static final byte[] PLAINTEXT = "Hello, World!".getBytes(StandardCharsets.US_ASCII);

    /** How long an idle keep-alive connection may stay open: long enough to hold the idle job's connections. */
    public static final long IDLE_TIMEOUT_MILLIS = 300_000;

    /** Checks the port range and that the folder exists. */
    public PeerArgs {
        if (port < 1 || port > 65535) throw new IllegalArgumentException("port must be 1..65535: " + port);
        if (!Files.isDirectory(staticDir)) throw new IllegalArgumentException("not a folder: " + staticDir);
        staticDir = staticDir.toAbsolutePath().normalize();
    }

    /**
     * Parses {@code <port> <staticDir>}.
     *
     * @param args the command line
     * @param peer the peer's name for the usage message
     * @return the parsed arguments
     * @throws IllegalArgumentException on a wrong count, a bad port or a missing folder
     */
    public static PeerArgs parse(String[] args, String peer) {
        if (args.length != 2) throw new IllegalArgumentException("usage: " + peer + " <port> <staticDir>");
        return new PeerArgs(Integer.parseInt(args[0]), Path.of(args[1]));
    }
}
