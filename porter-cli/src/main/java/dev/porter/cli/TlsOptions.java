package dev.porter.cli;

import dev.porter.core.KeySource;
import dev.porter.core.TlsConfig;
import dev.porter.core.TlsSetupException;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * TLS options every server command shares (a picocli mixin): {@code --tls} alone serves with the dev certificate
 * ({@link DevCertificate}); {@code --cert FILE [--key FILE]} with the user's own, PEM or PKCS#12.
 */
public final class TlsOptions {

    /** The environment variable holding the password of a PKCS#12 {@code --cert} (argv is visible to every user). */
    static final String PASSWORD_VARIABLE = "PORTER_TLS_PASSWORD";

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(names = "--tls", description = "Speak TLS. Without --cert: with a dev certificate for localhost, 127.0.0.1 "
            + "and ::1, made once and kept in the directory ~/.porter/tls (or $XDG_DATA_HOME/porter/tls).")
    boolean tls;

    @Option(names = "--cert", paramLabel = "FILE", description = "TLS certificate chain, PEM (leaf first), or a PKCS#12 "
            + "store (.p12/.pfx; its password in $" + PASSWORD_VARIABLE + "). Implies --tls.")
    Path cert;

    @Option(names = "--key", paramLabel = "FILE", description = "The private key of --cert, PEM PKCS#8. Default: the --cert file.")
    Path key;

    /** @return true if the server is to speak TLS */
    boolean enabled() {
        return tls || cert != null;
    }

    /**
     * What TLS is set up with, and the lines that tell the user about it.
     *
     * @param config  the configuration for the server
     * @param source  the key material (watched for changes, reloaded on SIGHUP)
     * @param dev     the dev certificate when no {@code --cert} was given, else null
     */
    record Setup(TlsConfig config, KeySource source, DevCertificate.Material dev) {

        /**
         * @param trustExample how a client trusts the dev certificate, for example
         *                     {@code curl --cacert {ca} https://localhost:8443/}, with {@code {ca}} in place of
         *                     the CA file (null for no trust line)
         * @return the lines to print after the first: the certificate with its fingerprint, and with the dev
         *         certificate one line on how to trust it
         */
        List<String> describe(String trustExample) {
            List<String> lines = new ArrayList<>();
            if (dev != null) {
                lines.add("TLS certificate for " + String.join(", ", DevCertificate.NAMES) + " ("
                        + (dev.created() ? "new dev certificate, made in " : "dev certificate from ") + dev.directory()
                        + "), valid until " + day(dev.certificate()) + ", SHA-256 " + DevCertificate.fingerprint(dev.certificate()));
                if (trustExample != null) {
                    lines.add("Trust it: " + trustExample.replace("{ca}", dev.caFile().toString())
                            + "   (or add it to a browser's or the system's authorities: docs/tls.md)");
                }
            } else {
                lines.add(certificateLine(source));
            }
            return lines;
        }
    }

    /**
     * Loads or makes the key material. The server checks it again when it starts (a certificate that does not match
     * its key or has expired fails there, with one line).
     *
     * @throws ParameterException for {@code --key} without {@code --cert}
     * @throws TlsSetupException  if the dev certificate cannot be made or kept
     */
    Setup setup() throws TlsSetupException {
        return setup(DevCertificate.directory(), System.getenv(), Instant.now());
    }

    Setup setup(Path devDirectory, Map<String, String> env, Instant now) throws TlsSetupException {
        check();
        if (cert == null) {
            DevCertificate.Material dev = DevCertificate.obtain(devDirectory, now);
            return new Setup(commandLine(TlsConfig.of(dev.keySource())), dev.keySource(), dev);
        }
        KeySource source;
        if (isPkcs12(cert)) {
            String password = env.get(PASSWORD_VARIABLE);
            if (password == null) requireNoPassword(cert);
            source = new KeySource.Pkcs12(cert, password == null ? new char[0] : password.toCharArray());
        } else {
            source = new KeySource.Pem(cert, key != null ? key : cert);
        }
        return new Setup(commandLine(TlsConfig.of(source)), source, null);
    }

    /**
     * A PKCS#12 store that has a password, given none: says where the password goes (the server's own load would say
     * "wrong password", though none was given). Any other problem with the file is left to that load, which names it.
     */
    private static void requireNoPassword(Path p12) throws TlsSetupException {
        try (InputStream in = Files.newInputStream(p12)) {
            KeyStore.getInstance("PKCS12").load(in, new char[0]);
        } catch (java.io.IOException e) {
            // The JDK reports a password mismatch as an IOException caused by UnrecoverableKeyException.
            if (e.getCause() instanceof java.security.UnrecoverableKeyException) {
                throw new TlsSetupException("cannot open PKCS#12 file " + p12 + ": it has a password: give it in $"
                        + PASSWORD_VARIABLE, e);
            }
        } catch (java.security.GeneralSecurityException e) {
            // Not a readable store: the server's load reports it in its own words.
        }
    }

    /** The core's own file check off: the command runs {@link TlsFileWatch}, which tells the outcome in one line. */
    private static TlsConfig commandLine(TlsConfig config) {
        return config.withReloadCheck(Duration.ZERO);
    }

    /**
     * Checks the combination of options.
     *
     * @throws ParameterException (exit 2) for {@code --key} without {@code --cert}, or with a PKCS#12 one
     */
    void check() {
        if (key != null && cert == null) throw new ParameterException(spec.commandLine(), "--key needs --cert");
        if (key != null && isPkcs12(cert)) {
            throw new ParameterException(spec.commandLine(), "--key is not used with a PKCS#12 --cert (the key is inside)");
        }
    }

    private static boolean isPkcs12(Path file) {
        String name = file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(Locale.ROOT);
        return name.endsWith(".p12") || name.endsWith(".pfx");
    }

    /**
     * Checks that an option only TLS gives meaning to is not used without it.
     *
     * @throws ParameterException (exit 2) naming {@code option}
     */
    void require(String option) {
        if (!enabled()) throw new ParameterException(spec.commandLine(), option + " needs --tls (or --cert)");
    }

    /** @return one line naming the certificate of {@code source}: its names, end of validity and SHA-256 fingerprint */
    static String certificateLine(KeySource source) {
        Path file = source.files().getFirst();
        X509Certificate leaf = leaf(source);
        if (leaf == null) return "TLS certificate from " + file;
        List<String> names = names(leaf);
        String subject = names.isEmpty() ? leaf.getSubjectX500Principal().getName() : String.join(", ", names);
        return "TLS certificate for " + subject + " (" + file + "), valid until " + day(leaf) + ", SHA-256 "
                + DevCertificate.fingerprint(leaf);
    }

    private static final String BEGIN_CERTIFICATE = "-----BEGIN CERTIFICATE-----";
    private static final String END_CERTIFICATE = "-----END CERTIFICATE-----";

    /** @return the leaf certificate of {@code source} as it is on disk now, or null if it cannot be read */
    static X509Certificate leaf(KeySource source) {
        try {
            return switch (source) {
                case KeySource.Pem pem -> {
                    // Fix (found by TlsReloadTest#aPemHoldingBothKeyAndChain…): the JDK's parser gives up at a block that
                    // is not a certificate, so a file holding the key too (which --cert alone accepts) was described
                    // as "TLS certificate from FILE", and reloaded without its fingerprint. The first CERTIFICATE
                    // block alone is parsed, as the server reads it.
                    String text = Files.readString(pem.certificateChain(), StandardCharsets.ISO_8859_1);
                    int begin = text.indexOf(BEGIN_CERTIFICATE);
                    int end = begin < 0 ? -1 : text.indexOf(END_CERTIFICATE, begin);
                    if (end < 0) yield null;
                    byte[] block = text.substring(begin, end + END_CERTIFICATE.length()).getBytes(StandardCharsets.ISO_8859_1);
                    yield (X509Certificate) CertificateFactory.getInstance("X.509")
                            .generateCertificate(new ByteArrayInputStream(block));
                }
                case KeySource.Pkcs12 p12 -> {
                    KeyStore store = KeyStore.getInstance("PKCS12");
                    char[] password = p12.password();
                    try (InputStream in = Files.newInputStream(p12.file())) {
                        store.load(in, password);
                    }
                    X509Certificate found = null;
                    for (Enumeration<String> aliases = store.aliases(); aliases.hasMoreElements() && found == null; ) {
                        String alias = aliases.nextElement();
                        if (store.isKeyEntry(alias) && store.getCertificate(alias) instanceof X509Certificate x) found = x;
                    }
                    yield found;
                }
            };
        } catch (Exception e) {
            return null; // only a description: the server itself reports what is wrong with the file
        }
    }

    private static List<String> names(X509Certificate c) {
        List<String> names = new ArrayList<>();
        try {
            Collection<List<?>> sans = c.getSubjectAlternativeNames();
            if (sans == null) return names;
            for (List<?> san : sans) {
                if (!(san.get(1) instanceof String s)) continue;
                if (Integer.valueOf(2).equals(san.get(0))) {
                    names.add(s);
                } else if (Integer.valueOf(7).equals(san.get(0))) {
                    // The JDK spells IPv6 in full; show it as people write it.
                    InetAddress a = InetAddress.getByName(s);
                    names.add(a instanceof java.net.Inet6Address ? Addresses.host(a) : s);
                }
            }
        } catch (Exception e) {
            // No readable SANs: the subject is shown instead.
        }
        return names;
    }

    private static String day(X509Certificate c) {
        return c.getNotAfter().toInstant().atOffset(ZoneOffset.UTC).toLocalDate().toString();
    }
}
