package dev.porter.core.internal.tls;

import dev.porter.core.TlsSetupException;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * PEM text (RFC 7468): the labelled base64 blocks of a file, in file order. Text outside the blocks (the
 * "subject=…" lines openssl writes, comments) is ignored, as RFC 7468 §2 allows; so a file holding both a chain
 * and its key serves as either. Also the file-reading and one-line-message helpers every loader here shares.
 */
final class Pem {

    /**
     * One block: its label ({@code CERTIFICATE}, {@code PRIVATE KEY}, …) and its body, decoded only when asked
     * for (a legacy encrypted block carries {@code Proc-Type} headers that are not base64, and needs only its
     * label to be reported).
     */
    record Block(String label, String body) {

        /** @return the decoded DER bytes; a body that is not base64 fails with {@code file} named */
        byte[] der(Path file) throws TlsSetupException {
            try {
                return Base64.getMimeDecoder().decode(body.strip());
            } catch (IllegalArgumentException e) {
                throw new TlsSetupException("malformed PEM block \"" + label + "\" in " + file + ": "
                        + oneLine(e.getMessage()), e);
            }
        }
    }

    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----(.*?)-----END \\1-----", Pattern.DOTALL);

    private Pem() {
    }

    /** @return every block of {@code text}, in order */
    static List<Block> blocks(String text) {
        List<Block> blocks = new ArrayList<>();
        Matcher m = BLOCK.matcher(text);
        while (m.find()) blocks.add(new Block(m.group(1), m.group(2)));
        return blocks;
    }

    /** @return the certificates of every {@code CERTIFICATE} block of {@code file}, in order (maybe none) */
    static List<X509Certificate> certificates(Path file, String what) throws TlsSetupException {
        List<X509Certificate> certs = new ArrayList<>();
        for (Block b : blocks(read(file, what))) {
            if (b.label().equals("CERTIFICATE")) certs.add(certificate(b.der(file), file));
        }
        return certs;
    }

    static X509Certificate certificate(byte[] der, Path file) throws TlsSetupException {
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(der));
        } catch (CertificateException | ClassCastException e) {
            throw new TlsSetupException("malformed certificate in " + file + ": " + oneLine(e.getMessage()), e);
        }
    }

    /**
     * Reads a text file, turning each way it can be unavailable into one line that names it.
     *
     * @param what what the file is for ("TLS certificate file"), for the message
     */
    static String read(Path file, String what) throws TlsSetupException {
        return new String(bytes(file, what), StandardCharsets.ISO_8859_1);
    }

    static byte[] bytes(Path file, String what) throws TlsSetupException {
        // TlsSetupException is an IOException: checked before the try, not caught and wrapped by it.
        if (Files.isDirectory(file)) throw new TlsSetupException(what + " " + file + " is a directory");
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new TlsSetupException(what + " " + file + " does not exist", e);
        } catch (AccessDeniedException e) {
            throw new TlsSetupException(what + " " + file + " is not readable (permission denied)", e);
        } catch (IOException e) {
            throw new TlsSetupException("cannot read " + what + " " + file + ": " + oneLine(e.getMessage()), e);
        }
    }

    /** @return {@code s} on one line: a JDK message may span several, a user-facing one must not */
    static String oneLine(String s) {
        return s == null ? "(no detail)" : s.replaceAll("\\s*[\\r\\n]+\\s*", "; ").strip();
    }
}
