package dev.porter.cli;

import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.GeneralSubtree;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.NameConstraints;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;

/**
 * Makes the keys and certificates of the development CA ({@link DevCertificate}): an EC P-256 key pair, a CA
 * certificate name-constrained to the loopback names (so even a leaked CA key could not vouch for a real site),
 * and the server certificate it signs. ASN.1 and signing are Bouncy Castle's; this class only chooses the fields.
 */
final class DevCertificateIssuer {

    private DevCertificateIssuer() {
    }


    static KeyPair newKeyPair() throws IOException {
        try {
            // EC P-256: fast to make and to use, and spoken by every TLS client of the last decade.
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"), DevCertificate.RANDOM);
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IOException("this JDK cannot make an EC P-256 key: " + e.getMessage(), e);
        }
    }

    static X509Certificate authority(KeyPair keys, Instant now) throws IOException {
        String user = System.getProperty("user.name", "");
        X500Name name = new X500Name("CN=Porter development CA " + Long.toHexString(DevCertificate.RANDOM.nextLong() >>> 16)
                + ",OU=" + escape(user.isEmpty() ? "local" : user) + ",O=Porter (local development only)");
        try {
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            GeneralSubtree[] permitted = {
                    new GeneralSubtree(new GeneralName(GeneralName.dNSName, "localhost")),
                    new GeneralSubtree(new GeneralName(GeneralName.iPAddress,
                            new DEROctetString(new byte[] {127, 0, 0, 0, (byte) 255, 0, 0, 0}))),
                    new GeneralSubtree(new GeneralName(GeneralName.iPAddress, new DEROctetString(ipv6LoopbackWithMask()))),
            };
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(name, serial(),
                    Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(DevCertificate.CA_VALIDITY)), name, keys.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                    .addExtension(Extension.nameConstraints, true, new NameConstraints(permitted, null))
                    .addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(keys.getPublic()));
            return sign(b, keys.getPrivate());
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IOException("cannot make the dev certificate authority: " + e.getMessage(), e);
        }
    }

    static X509Certificate server(KeyPair keys, X509Certificate ca, PrivateKey caKey, Instant now) throws IOException {
        // Backdated an hour for clocks a little behind; the validity counts from notBefore, since Apple's
        // platforms refuse a server certificate whose notAfter − notBefore exceeds 825 days.
        Instant notBefore = now.minus(Duration.ofHours(1));
        Instant notAfter = notBefore.plus(DevCertificate.CERT_VALIDITY);
        if (notAfter.isAfter(ca.getNotAfter().toInstant())) notAfter = ca.getNotAfter().toInstant();
        return server(keys, ca, caKey, notBefore, notAfter);
    }

    static X509Certificate server(KeyPair keys, X509Certificate ca, PrivateKey caKey, Instant notBefore, Instant notAfter)
            throws IOException {
        try {
            GeneralName[] sans = new GeneralName[DevCertificate.NAMES.size()];
            for (int i = 0; i < sans.length; i++) {
                String n = DevCertificate.NAMES.get(i);
                boolean ip = Character.isDigit(n.charAt(0)) || n.contains(":");
                sans[i] = new GeneralName(ip ? GeneralName.iPAddress : GeneralName.dNSName, n);
            }
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(ca, serial(),
                    Date.from(notBefore), Date.from(notAfter),
                    new X500Name("CN=localhost,O=Porter (local development only)"), keys.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
                    .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth))
                    .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(sans))
                    .addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(keys.getPublic()))
                    .addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(ca));
            return sign(b, caKey);
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IOException("cannot make the dev certificate: " + e.getMessage(), e);
        }
    }

    private static byte[] ipv6LoopbackWithMask() {
        byte[] b = new byte[32];
        b[15] = 1;
        for (int i = 16; i < 32; i++) b[i] = (byte) 0xFF;
        return b;
    }

    private static String escape(String rdnValue) {
        // RFC 4514 specials, so a user name cannot change the name's structure.
        return rdnValue.replaceAll("([,+\"\\\\<>;=#])", "\\\\$1");
    }

    private static BigInteger serial() {
        return new BigInteger(127, DevCertificate.RANDOM).add(BigInteger.ONE);
    }

    private static X509Certificate sign(X509v3CertificateBuilder b, PrivateKey issuerKey)
            throws GeneralSecurityException, OperatorCreationException {
        return new JcaX509CertificateConverter().getCertificate(b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKey)));
    }
}
