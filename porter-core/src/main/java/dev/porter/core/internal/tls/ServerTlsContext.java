package dev.porter.core.internal.tls;

import dev.porter.core.KeySource;
import dev.porter.core.TlsConfig;
import dev.porter.core.TlsSetupException;

import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A server's TLS set-up: the key material and client trust of a {@link TlsConfig}, loaded and checked, and the
 * {@link SSLEngine}s made from them for each accepted connection.
 *
 * <p>Every engine: server mode; TLS 1.3 and 1.2 only, the Mozilla "intermediate" cipher suites in the server's
 * order ({@link TlsPolicy}); the certificate chosen by SNI ({@link SniKeyManager}); ALPN answered with the
 * server's most preferred name among those the client offers, and the handshake refused with
 * {@code no_application_protocol} when the client offers names of which none is accepted (RFC 7301 §3.2; a client
 * that offers none is served without ALPN); client certificates asked for as {@link TlsConfig#clientAuth()} says
 * and checked against {@link TlsConfig#clientTrust()}.
 *
 * <p>Reload: {@link #reloadIfChanged()} compares the files' size, modification time and identity with those seen
 * at the last attempt, a few {@code stat} calls; on a change, and on {@link #reload()} (SIGHUP), everything is
 * loaded and checked anew and swapped in at once. Engines made afterwards use the new material; engines made
 * before keep theirs (an engine holds its context), so existing connections are untouched. A reload that fails
 * keeps the old material and throws.
 *
 * <p>Thread-safe: {@link #newEngine()} from any thread without waiting (it reads one volatile field); reloads
 * are serialised.
 */
public final class ServerTlsContext {

    private static final System.Logger LOG = System.getLogger(ServerTlsContext.class.getName());

    /** What one successful load produced; replaced whole, never changed. */
    private record Loaded(SSLContext context, String[] protocols, String[] cipherSuites, List<KeyMaterial> keys) {
    }

    /** A file as {@code stat} saw it; a missing file has size -1. The file key (inode) reveals a replaced file. */
    private record FileStamp(Path file, long size, FileTime modified, Object fileKey) {
    }

    private final TlsConfig config;
    private final List<Path> files;
    private volatile Loaded current;
    /**
     * Serialises reloads. A lock, not {@code synchronized}: a reload reads files, and on JDK 21 a virtual thread
     * (a connection's, which runs the periodic check) blocked inside {@code synchronized} pins its carrier.
     */
    private final ReentrantLock reloading = new ReentrantLock();
    /** The stamps read before the last load attempt, successful or not; guarded by {@link #reloading}. */
    private List<FileStamp> attempted;

    private ServerTlsContext(TlsConfig config) {
        this.config = config;
        Set<Path> watched = new LinkedHashSet<>();
        for (KeySource k : config.certificates()) watched.addAll(k.files());
        if (config.clientAuth() != TlsConfig.ClientAuth.NONE) watched.addAll(TrustMaterial.files(config.clientTrust()));
        this.files = List.copyOf(watched);
    }

    /**
     * Loads and checks every certificate, key and client trust source of {@code config}.
     *
     * @throws TlsSetupException one line naming the file and the problem (missing, unreadable, malformed, no key,
     *                           key and certificate not matching, expired, not yet valid), or what the JDK lacks
     */
    public static ServerTlsContext load(TlsConfig config) throws TlsSetupException {
        rejectClientInitiatedRenegotiation();
        ServerTlsContext c = new ServerTlsContext(Objects.requireNonNull(config, "config"));
        c.reload();
        return c;
    }

    /** The JDK's switch that refuses a client's TLS 1.2 renegotiation with a handshake_failure alert. */
    static final String REJECT_RENEGOTIATION = "jdk.tls.rejectClientInitiatedRenegotiation";

    /**
     * Fix (found by testssl.sh, "Secure Client-Initiated Renegotiation: VULNERABLE, DoS threat", severity HIGH):
     * the JDK lets a TLS 1.2 client renegotiate unless {@value #REJECT_RENEGOTIATION} is true, which it reads
     * once, when the process makes its first server-side handshake. Set here, before this server makes any
     * engine, unless the process set it already (an explicit value is respected). With it, the JDK answers a
     * renegotiating client with a fatal handshake_failure alert; the transport ({@code TlsRecordLayer}) refuses
     * renegotiation in any case (when the JDK read the property earlier, or it was set to false), closing the
     * connection.
     */
    private static void rejectClientInitiatedRenegotiation() {
        if (System.getProperty(REJECT_RENEGOTIATION) == null) System.setProperty(REJECT_RENEGOTIATION, "true");
    }

    /** @return the configuration this context was loaded from */
    public TlsConfig config() {
        return config;
    }

    /**
     * @return a new server-mode engine for one connection, from the most recently loaded material, with the
     *         policy, SNI, ALPN and client-certificate settings described on the class
     */
    public SSLEngine newEngine() {
        Loaded l = current;
        SSLEngine engine = l.context().createSSLEngine();
        engine.setUseClientMode(false);
        SSLParameters p = engine.getSSLParameters();
        p.setProtocols(l.protocols());
        p.setCipherSuites(l.cipherSuites());
        // Every enabled suite is strong; the server's order puts the cheapest first (see TlsPolicy).
        p.setUseCipherSuitesOrder(true);
        switch (config.clientAuth()) {
            case REQUIRED -> p.setNeedClientAuth(true);
            case OPTIONAL -> p.setWantClientAuth(true);
            case NONE -> p.setNeedClientAuth(false);
        }
        engine.setSSLParameters(p);
        if (!config.applicationProtocols().isEmpty()) {
            engine.setHandshakeApplicationProtocolSelector((e, offered) -> selectApplicationProtocol(offered));
        }
        return engine;
    }

    /** @return the leaf certificates in use, in {@link TlsConfig#certificates()} order (the first is the default) */
    public List<X509Certificate> certificates() {
        return current.keys().stream().map(KeyMaterial::leaf).toList();
    }

    /**
     * ALPN (RFC 7301 §3.2): the first of the server's names, in its order of preference, that the client offers.
     * None: null, which makes the JDK refuse the handshake with a {@code no_application_protocol} alert. An empty
     * offer (no ALPN extension) answers "" (no ALPN), should the JDK ask at all.
     */
    String selectApplicationProtocol(List<String> offered) {
        if (offered == null || offered.isEmpty()) return "";
        for (String name : config.applicationProtocols()) {
            if (offered.contains(name)) return name;
        }
        return null;
    }

    /**
     * Reloads if any watched file (certificate chains, keys, the client trust file) changed since the last load
     * attempt. Cheap when nothing did: a {@code stat} per file. A failed attempt is not retried until the files
     * change again, so a broken file is reported once, not at every check. Logs nothing at INFO or above: the
     * caller reports the outcome (success or the exception's one line) as it sees fit.
     *
     * @return whether the files had changed and the new material is now in use
     * @throws TlsSetupException the files changed but do not load; the old material stays in use
     */
    public boolean reloadIfChanged() throws TlsSetupException {
        reloading.lock();
        try {
            List<FileStamp> stamps = stamps();
            if (stamps.equals(attempted)) return false;
            load(stamps);
            return true;
        } finally {
            reloading.unlock();
        }
    }

    /**
     * Loads and checks everything anew, whether or not the files changed (SIGHUP), and swaps it in.
     *
     * @throws TlsSetupException as {@link #load(TlsConfig)}; the old material stays in use
     */
    public void reload() throws TlsSetupException {
        reloading.lock();
        try {
            load(stamps());
        } finally {
            reloading.unlock();
        }
    }

    /** Loads everything as of {@code stamps}; the caller holds {@link #reloading}. */
    private void load(List<FileStamp> stamps) throws TlsSetupException {
        // The stamps were read before the files: a write during the load is seen at the next check.
        attempted = stamps;
        List<KeyMaterial> keys = new ArrayList<>();
        for (KeySource source : config.certificates()) keys.add(KeyMaterial.load(source));
        X509ExtendedTrustManager trust = config.clientAuth() == TlsConfig.ClientAuth.NONE
                ? new TrustMaterial.TrustNone()
                : TrustMaterial.load(config.clientTrust());
        SSLContext context;
        try {
            context = SSLContext.getInstance("TLS");
            context.init(new KeyManager[]{new SniKeyManager(keys)}, new TrustManager[]{trust}, null);
        } catch (GeneralSecurityException e) {
            throw new TlsSetupException("cannot set up TLS: " + Pem.oneLine(e.getMessage()), e);
        }
        current = new Loaded(context, TlsPolicy.protocols(context), TlsPolicy.cipherSuites(context), List.copyOf(keys));
        for (KeyMaterial k : keys) {
            LOG.log(System.Logger.Level.DEBUG, "TLS certificate from " + k.origin() + " for " + k.names()
                    + ", valid until " + k.leaf().getNotAfter().toInstant());
        }
    }

    private List<FileStamp> stamps() {
        List<FileStamp> stamps = new ArrayList<>(files.size());
        for (Path f : files) {
            try {
                // Follows symbolic links: certbot's live/ names link to the newest archive/ files.
                BasicFileAttributes a = Files.readAttributes(f, BasicFileAttributes.class);
                stamps.add(new FileStamp(f, a.size(), a.lastModifiedTime(), a.fileKey()));
            } catch (NoSuchFileException e) {
                stamps.add(new FileStamp(f, -1, null, null));
            } catch (IOException e) {
                // Attributes unreadable (a directory not searchable): the load that follows reports the file.
                stamps.add(new FileStamp(f, -2, null, null));
            }
        }
        return stamps;
    }
}
