package dev.porter.bench.peers;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;

/**
 * The command line every peer takes: {@code <port> <staticDir>}, and for a peer that can serve TLS optionally
 * {@code <cert.pem> <key.pem>} after it; and the jobs they all serve. Every peer listens on {@link #HOST} only, answers {@code GET /plaintext} with {@link #PLAINTEXT} as
 * {@code text/plain} (Content-Length 13), and serves the files of {@code staticDir} under {@code /static/}.
 * With a certificate chain and a key (PEM, the key PKCS#8) it serves the same over TLS instead of cleartext.
 *
 * @param port      the TCP port on 127.0.0.1
 * @param staticDir the folder served under {@code /static/}; must exist
 * @param cert      PEM certificate chain (leaf first) for TLS, or null for cleartext
 * @param key       PEM PKCS#8 private key of the leaf, or null for cleartext
 */
public record PeerArgs(int port, Path staticDir, Path cert, Path key) {

    /** Loopback only: the bench never listens on a public interface. */
    public static final String HOST = "127.0.0.1";

    /** The plaintext body, as bytes (13 of them). */
    public static final byte[] PLAINTEXT = "Hello, World!".getBytes(StandardCharsets.US_ASCII);

    /** How long an idle keep-alive connection may stay open: long enough to hold the idle job's connections. */
    public static final long IDLE_TIMEOUT_MILLIS = 300_000;

    /** Checks the port range and that the folder (and the TLS files, if given) exist. */
    public PeerArgs {
        if (port < 1 || port > 65535) throw new IllegalArgumentException("port must be 1..65535: " + port);
        if (!Files.isDirectory(staticDir)) throw new IllegalArgumentException("not a folder: " + staticDir);
        staticDir = staticDir.toAbsolutePath().normalize();
        if ((cert == null) != (key == null)) throw new IllegalArgumentException("TLS needs both a certificate and a key");
        for (Path file : new Path[] {cert, key}) {
            if (file != null && !Files.isRegularFile(file)) throw new IllegalArgumentException("not a file: " + file);
        }
    }

    /** @return whether the peer serves TLS */
    public boolean tls() {
        return cert != null;
    }

    /**
     * Parses {@code <port> <staticDir>}, for a peer that serves cleartext only.
     *
     * @param args the command line
     * @param peer the peer's name for the usage message
     * @return the parsed arguments
     * @throws IllegalArgumentException on a wrong count, a bad port or a missing folder
     */
    public static PeerArgs parse(String[] args, String peer) {
        if (args.length != 2) throw new IllegalArgumentException("usage: " + peer + " <port> <staticDir>");
        return new PeerArgs(Integer.parseInt(args[0]), Path.of(args[1]), null, null);
    }

    /**
     * Parses {@code <port> <staticDir> [<cert.pem> <key.pem>]}, for a peer that can also serve TLS.
     *
     * @param args the command line
     * @param peer the peer's name for the usage message
     * @return the parsed arguments
     * @throws IllegalArgumentException on a wrong count, a bad port or a missing folder or file
     */
    public static PeerArgs parseWithTls(String[] args, String peer) {
        if (args.length != 2 && args.length != 4) {
            throw new IllegalArgumentException("usage: " + peer + " <port> <staticDir> [<cert.pem> <key.pem>]");
        }
        return new PeerArgs(Integer.parseInt(args[0]), Path.of(args[1]),
            args.length == 4 ? Path.of(args[2]) : null, args.length == 4 ? Path.of(args[3]) : null);
    }

    /** The path of the WebSocket echo every WebSocket peer serves (as {@code porter demo} does). */
    public static final String WS_PATH = "/ws";

    /** The largest WebSocket message a WebSocket peer accepts, as {@code porter demo}'s echo: 16 MiB. */
    public static final int WS_MAX_MESSAGE = 16 << 20;

    /**
     * Parses {@code <port>}, for a WebSocket echo peer (which serves no files).
     *
     * @param args the command line
     * @param peer the peer's name for the usage message
     * @return the TCP port on {@link #HOST}
     * @throws IllegalArgumentException on a wrong count or a bad port
     */
    public static int parseWsPort(String[] args, String peer) {
        if (args.length != 1) throw new IllegalArgumentException("usage: " + peer + " <port>");
        int port = Integer.parseInt(args[0]);
        if (port < 1 || port > 65535) throw new IllegalArgumentException("port must be 1..65535: " + port);
        return port;
    }

    /** The password of the in-memory key store made by {@link #keyStore()}; it never leaves the process. */
    static final char[] KEY_STORE_PASSWORD = "porter-bench".toCharArray();

    /**
     * The certificate chain and key as an in-memory PKCS#12 key store (one entry, alias {@code bench}, password
     * {@link #KEY_STORE_PASSWORD}), for servers configured with a {@link KeyStore}. The key may be EC or RSA.
     *
     * @return the key store
     * @throws IOException when a file cannot be read
     * @throws GeneralSecurityException when the certificate or key cannot be decoded
     */
    KeyStore keyStore() throws IOException, GeneralSecurityException {
        if (!tls()) throw new IllegalStateException("no TLS files");
        Certificate[] chain;
        try (InputStream in = Files.newInputStream(cert)) {
            chain = CertificateFactory.getInstance("X.509").generateCertificates(in).toArray(Certificate[]::new);
        }
        if (chain.length == 0) throw new GeneralSecurityException("no certificate in " + cert);
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(pem(Files.readString(key, StandardCharsets.US_ASCII), "PRIVATE KEY"));
        String algorithm = chain[0].getPublicKey().getAlgorithm(); // "EC" or "RSA"
        PrivateKey privateKey = KeyFactory.getInstance(algorithm).generatePrivate(spec);
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("bench", privateKey, KEY_STORE_PASSWORD, chain);
        return store;
    }

    /**
     * The DER bytes of the first PEM block of the given type.
     *
     * @param text the PEM text
     * @param type e.g. {@code PRIVATE KEY} (PKCS#8); {@code EC PRIVATE KEY} or {@code RSA PRIVATE KEY} are refused
     * @return the decoded block
     * @throws GeneralSecurityException when there is no such block
     */
    static byte[] pem(String text, String type) throws GeneralSecurityException {
        String begin = "-----BEGIN " + type + "-----";
        String end = "-----END " + type + "-----";
        int from = text.indexOf(begin);
        int to = from < 0 ? -1 : text.indexOf(end, from);
        if (to < 0) throw new GeneralSecurityException("no " + begin + " block (the key must be PEM PKCS#8)");
        return Base64.getMimeDecoder().decode(text.substring(from + begin.length(), to));
    }
}
