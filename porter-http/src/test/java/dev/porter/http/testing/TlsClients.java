package dev.porter.http.testing;

import dev.porter.core.testing.TestCertificates;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * The JDK's own TLS, as an independent client for Porter's TLS tests: an {@link SSLContext} trusting a
 * {@link TestCertificates} CA, sockets connected with it, and the bytes of a genuine ClientHello for tests that
 * need to stall or break a handshake at a chosen byte.
 */
public final class TlsClients {

    private TlsClients() {
    }

    /** @return a TLS context trusting only {@code ca}'s certificate */
    public static SSLContext trusting(TestCertificates ca) {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setCertificateEntry("ca", ca.caCertificate());
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, tmf.getTrustManagers(), null);
            return context;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A TLS socket to {@code 127.0.0.1:port} that verifies the name {@code localhost} (sent as SNI), with ALPN
     * {@code http/1.1}, Nagle off and a 10 s read timeout; the handshake has completed when this returns.
     */
    public static SSLSocket connect(SSLContext context, int port) throws IOException {
        SSLSocket s = (SSLSocket) context.getSocketFactory().createSocket();
        s.setTcpNoDelay(true);
        s.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        s.setSoTimeout(10_000);
        SSLParameters p = s.getSSLParameters();
        p.setServerNames(List.of(new javax.net.ssl.SNIHostName("localhost")));
        p.setEndpointIdentificationAlgorithm("HTTPS");
        p.setApplicationProtocols(new String[] {"http/1.1"});
        s.setSSLParameters(p);
        s.startHandshake();
        return s;
    }

    /** @return the TLS records of a ClientHello for {@code localhost}, as the JDK's client sends it first */
    public static byte[] clientHello() {
        try {
            SSLEngine e = SSLContext.getDefault().createSSLEngine("localhost", 443);
            e.setUseClientMode(true);
            ByteBuffer out = ByteBuffer.allocate(e.getSession().getPacketBufferSize());
            SSLEngineResult r = e.wrap(ByteBuffer.allocate(0), out);
            if (r.bytesProduced() == 0) throw new IllegalStateException("no ClientHello produced: " + r);
            return Arrays.copyOf(out.array(), out.position());
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The value for Chromium's {@code --ignore-certificate-errors-spki-list}: base64 of the SHA-256 of the leaf's
     * DER SubjectPublicKeyInfo.
     */
    public static String spkiSha256(TestCertificates.Issued leaf) {
        try {
            byte[] spki = leaf.certificate().getPublicKey().getEncoded();
            return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(spki));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** @return the whole of {@code in} read as text (ISO-8859-1), for small answers */
    public static String readAll(InputStream in) throws IOException {
        return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    /** @return true if a file exists and can be opened for reading (a root user reads mode 000 files) */
    public static boolean readable(java.nio.file.Path p) {
        try (InputStream in = Files.newInputStream(p)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
