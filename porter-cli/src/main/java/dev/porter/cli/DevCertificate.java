package dev.porter.cli;

import dev.porter.core.KeySource;
import dev.porter.core.TlsSetupException;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.net.InetAddress;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The development certificate of {@code --tls} without {@code --cert}: a local certificate authority and a server
 * certificate it issued for {@code localhost}, {@code 127.0.0.1} and {@code ::1}, made once and kept in the user's
 * data directory ({@link #directory}), never in a served folder.
 *
 * <p>Files, PEM: {@code dev-ca.pem} (the authority to trust: {@code curl --cacert}, a browser's or the system's
 * store), {@code dev-ca-key.pem} (its key, mode 0600, kept to renew the server certificate without a new authority
 * to trust), {@code localhost.pem} (the server certificate) and {@code localhost-key.pem} (its PKCS#8 key, 0600).
 * The authority is valid for 10 years and its name constraints permit only {@code localhost} (and names under it),
 * {@code 127.0.0.0/8} and {@code ::1}: its key, if stolen, cannot vouch for any other site. The server certificate
 * is valid for 825 days from its notBefore (the most Apple's platforms accept). Either is made anew when it is
 * missing, unreadable, expired or within 30 days of expiry (the server certificate also when it spans more than
 * 825 days, as those of Porter before 2026-12-05 did); renewing the server certificate keeps the authority.
 *
 * <p>Made with BouncyCastle's {@code bcpkix} (signing with the JDK's providers): the JDK has no public API to build
 * a certificate, and {@code keytool} cannot issue a CA-signed certificate with subject alternative names in one
 * step without running it as a separate process several times.
 */
final class DevCertificate {

    static final String CA_FILE = "dev-ca.pem";
    static final String CA_KEY_FILE = "dev-ca-key.pem";
    static final String CERT_FILE = "localhost.pem";
    static final String KEY_FILE = "localhost-key.pem";

    /** Names the server certificate is for. */
    static final List<String> NAMES = List.of("localhost", "127.0.0.1", "::1");

    static final Duration CA_VALIDITY = Duration.ofDays(3650);
    static final Duration CERT_VALIDITY = Duration.ofDays(825);
    /** A certificate this close to its end is made anew. */
    static final Duration RENEW_BEFORE = Duration.ofDays(30);

    static final SecureRandom RANDOM = new SecureRandom();
    /** Serialises makers in this JVM (a file lock is per process; it throws if one process takes it twice). */
    private static final ReentrantLock LOCK = new ReentrantLock();

    /**
     * The certificate in use.
     *
     * @param directory where the files are
     * @param created   true if the server certificate was made by this call (else an existing one was reused)
     */
    record Material(Path directory, X509Certificate certificate, X509Certificate authority, boolean created) {

        /** @return the CA file to trust */
        Path caFile() {
            return directory.resolve(CA_FILE);
        }

        /** @return the server certificate and key, as the server loads them (and reloads them when they change) */
        KeySource.Pem keySource() {
            return new KeySource.Pem(directory.resolve(CERT_FILE), directory.resolve(KEY_FILE));
        }
    }

    private DevCertificate() {
    }

    /**
     * The directory of the dev certificate: {@code $XDG_DATA_HOME/porter/tls} when {@code XDG_DATA_HOME} is set to
     * an absolute path (the XDG base directory specification ignores a relative one), else
     * {@code ~/.porter/tls}.
     */
    static Path directory(Map<String, String> env, String userHome) {
        String xdg = env.get("XDG_DATA_HOME");
        if (xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()) return Path.of(xdg, "porter", "tls");
        return Path.of(userHome, ".porter", "tls");
    }

    /** @return {@link #directory(Map, String)} for this process */
    static Path directory() {
        return directory(System.getenv(), System.getProperty("user.home"));
    }

    /**
     * Returns the dev certificate in {@code dir}, making (or renewing) what is missing or near its end. Several
     * processes starting at once make it once: the directory is locked meanwhile.
     *
     * @throws TlsSetupException with one line for a user if the directory cannot be made, read or written
     */
    static Material obtain(Path dir, Instant now) throws TlsSetupException {
        LOCK.lock();
        try {
            createDirectory(dir);
            try (FileChannel lockFile = FileChannel.open(dir.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
                lockFile.lock(); // released when the channel closes
                return obtainLocked(dir, now);
            }
        } catch (AccessDeniedException e) {
            throw new TlsSetupException("cannot write the dev certificate in " + dir + ": permission denied");
        } catch (IOException e) {
            if (e instanceof TlsSetupException t) throw t;
            throw new TlsSetupException("cannot keep the dev certificate in " + dir + ": " + reason(e), e);
        } finally {
            LOCK.unlock();
        }
    }

    private static Material obtainLocked(Path dir, Instant now) throws IOException {
        Instant renewFrom = now.plus(RENEW_BEFORE);
        X509Certificate ca = readCertificate(dir.resolve(CA_FILE));
        PrivateKey caKey = ca == null ? null : readKey(dir.resolve(CA_KEY_FILE));
        if (ca == null || caKey == null || !usable(ca, now, renewFrom) || !matches(caKey, ca)) {
            KeyPair keys = DevCertificateIssuer.newKeyPair();
            ca = DevCertificateIssuer.authority(keys, now);
            caKey = keys.getPrivate();
            // The key first: a CA file without its key would be made anew next time anyway.
            writeAtomically(dir.resolve(CA_KEY_FILE), pem(new JcaPKCS8Generator(caKey, null)), true);
            writeAtomically(dir.resolve(CA_FILE), pem(ca), false);
        }
        X509Certificate cert = readCertificate(dir.resolve(CERT_FILE));
        PrivateKey key = cert == null ? null : readKey(dir.resolve(KEY_FILE));
        if (cert != null && key != null && usable(cert, now, renewFrom) && issuedBy(cert, ca) && matches(key, cert)
                && namesAll(cert) && !tooLongForApple(cert)) {
            return new Material(dir, cert, ca, false);
        }
        KeyPair keys = DevCertificateIssuer.newKeyPair();
        cert = DevCertificateIssuer.server(keys, ca, caKey, now);
        writeAtomically(dir.resolve(KEY_FILE), pem(new JcaPKCS8Generator(keys.getPrivate(), null)), true);
        writeAtomically(dir.resolve(CERT_FILE), pem(cert), false);
        return new Material(dir, cert, ca, true);
    }

    /** @return the SHA-256 fingerprint of {@code cert} as browsers and {@code openssl x509 -fingerprint} show it */
    static String fingerprint(X509Certificate cert) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(cert.getEncoded());
            return HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e); // SHA-256 and DER encoding are always available
        }
    }

    private static String pem(Object object) throws IOException {
        StringWriter w = new StringWriter();
        try (JcaPEMWriter pem = new JcaPEMWriter(w)) {
            if (object instanceof JcaPKCS8Generator g) pem.writeObject(g);
            else pem.writeObject(object);
        }
        return w.toString();
    }

    // ---- reading and checking ----

    /** @return the first certificate of a PEM file, or null if it is missing or not one */
    private static X509Certificate readCertificate(Path file) throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return null;
        }
        try {
            Collection<? extends java.security.cert.Certificate> certs =
                    CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(bytes));
            for (var c : certs) if (c instanceof X509Certificate x) return x;
            return null;
        } catch (CertificateException e) {
            return null; // damaged: made anew
        }
    }

    /** @return the PKCS#8 EC key of a PEM file, or null if it is missing or not one */
    private static PrivateKey readKey(Path file) throws IOException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (NoSuchFileException e) {
            return null;
        } catch (java.nio.charset.MalformedInputException e) {
            return null;
        }
        int begin = text.indexOf("-----BEGIN PRIVATE KEY-----");
        int end = text.indexOf("-----END PRIVATE KEY-----");
        if (begin < 0 || end < begin) return null;
        try {
            byte[] der = Base64.getMimeDecoder().decode(text.substring(begin + 27, end));
            return KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            return null;
        }
    }

    private static boolean usable(X509Certificate c, Instant now, Instant renewFrom) {
        return !c.getNotBefore().toInstant().isAfter(now) && c.getNotAfter().toInstant().isAfter(renewFrom);
    }

    /**
     * Fix (found by testssl.sh, "> 825 days issued after 2018/03/01 is too long"): the server certificate used to
     * run 825 days from the moment it was made but start an hour earlier, one hour longer than Apple's platforms
     * accept. Such a certificate is issued anew (by the same authority: nothing to trust again).
     */
    private static boolean tooLongForApple(X509Certificate c) {
        return Duration.between(c.getNotBefore().toInstant(), c.getNotAfter().toInstant()).compareTo(CERT_VALIDITY) > 0;
    }

    private static boolean issuedBy(X509Certificate cert, X509Certificate ca) {
        try {
            cert.verify(ca.getPublicKey());
            return cert.getIssuerX500Principal().equals(ca.getSubjectX500Principal());
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    /** @return true if {@code key} is the private half of {@code cert}'s public key (a signature made with one verifies with the other) */
    private static boolean matches(PrivateKey key, X509Certificate cert) {
        try {
            byte[] probe = new byte[32];
            RANDOM.nextBytes(probe);
            Signature s = Signature.getInstance("SHA256withECDSA");
            s.initSign(key);
            s.update(probe);
            byte[] sig = s.sign();
            Signature v = Signature.getInstance("SHA256withECDSA");
            v.initVerify(cert.getPublicKey());
            v.update(probe);
            return v.verify(sig);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static boolean namesAll(X509Certificate cert) {
        try {
            Collection<List<?>> sans = cert.getSubjectAlternativeNames();
            if (sans == null) return false;
            List<String> names = new ArrayList<>();
            for (List<?> san : sans) {
                Object v = san.get(1);
                if (v instanceof String s) {
                    // The JDK spells IPv6 SANs in full (0:0:0:0:0:0:0:1): compare addresses, not text.
                    names.add((Integer) san.get(0) == 7 ? InetAddress.getByName(s).getHostAddress() : s);
                }
            }
            for (String n : NAMES) {
                String want = Character.isDigit(n.charAt(0)) || n.contains(":") ? InetAddress.getByName(n).getHostAddress() : n;
                if (!names.contains(want)) return false;
            }
            return true;
        } catch (CertificateException | IOException e) {
            return false;
        }
    }

    // ---- files ----

    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

    private static void createDirectory(Path dir) throws IOException {
        if (Files.isDirectory(dir)) return;
        if (POSIX) {
            // Only the parents we make get the default mode; the directory of keys itself is the owner's alone.
            if (dir.getParent() != null) Files.createDirectories(dir.getParent());
            try {
                Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } catch (java.nio.file.FileAlreadyExistsException e) {
                // Another process made it meanwhile.
            }
        } else {
            Files.createDirectories(dir);
        }
    }

    /** Writes a whole file under a temporary name, then renames it: a reader sees the old file or the new one. */
    private static void writeAtomically(Path file, String content, boolean secret) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        FileAttribute<?>[] attrs = POSIX
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(secret
                        ? Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE)
                        : PosixFilePermissions.fromString("rw-r--r--"))}
                : new FileAttribute<?>[0];
        // Created with its mode (subject to the umask, which can only take permissions away): a key is never readable
        // by others, not even for a moment.
        Files.createFile(tmp, attrs);
        Files.writeString(tmp, content, StandardCharsets.US_ASCII, StandardOpenOption.TRUNCATE_EXISTING);
        try {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (java.nio.file.AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static String reason(IOException e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }
}
