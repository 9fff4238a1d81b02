package dev.porter.core.internal.tls;

import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.StandardConstants;
import javax.net.ssl.X509ExtendedKeyManager;
import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Chooses which of several certificates a handshake presents, by the host name the client asked for in its
 * {@code server_name} extension (SNI, RFC 6066 §3). The certificates whose names ({@link HostNames#matches})
 * include that host are the candidates; if none does, or the client sent no name, only the first certificate
 * (the default) is. Of the candidates, the first whose key is of the type the JDK asks for is chosen: the JDK
 * asks once per signature scheme or cipher suite it would use, in preference order (RFC 8446 §4.4.2.2), so an
 * RSA and an EC certificate for one host both serve, each to the clients that can verify it.
 *
 * <p>Aliases are the entries' indexes. The same manager presents a client certificate (one entry) for
 * {@link ClientTlsContext}. Immutable; a reload builds a new one.
 */
final class SniKeyManager extends X509ExtendedKeyManager {

    private static final System.Logger LOG = System.getLogger(SniKeyManager.class.getName());

    private final List<KeyMaterial> entries;
    private final List<List<String>> names;

    SniKeyManager(List<KeyMaterial> entries) {
        if (entries.isEmpty()) throw new IllegalArgumentException("no key material");
        this.entries = List.copyOf(entries);
        this.names = this.entries.stream().map(KeyMaterial::names).toList();
    }

    /**
     * @param keyType    the key algorithm the JDK can use now ({@code RSA}, {@code EC}, {@code EdDSA}, …)
     * @param serverName the SNI host name, or null if the client sent none
     * @return the alias to present, or null if no candidate has a key of {@code keyType}
     */
    String choose(String keyType, String serverName) {
        List<Integer> candidates = new ArrayList<>();
        if (serverName != null) {
            for (int i = 0; i < entries.size(); i++) {
                if (HostNames.matches(names.get(i), serverName)) candidates.add(i);
            }
        }
        if (candidates.isEmpty()) candidates.add(0);
        for (int i : candidates) {
            if (sameKeyType(entries.get(i), keyType)) return Integer.toString(i);
        }
        return null;
    }

    /** @return the host name the client sent in SNI during this handshake, or null */
    static String requestedServerName(SSLSession handshake) {
        if (!(handshake instanceof ExtendedSSLSession session)) return null;
        try {
            for (SNIServerName name : session.getRequestedServerNames()) {
                if (name.getType() == StandardConstants.SNI_HOST_NAME && name instanceof SNIHostName host) {
                    return host.getAsciiName();
                }
            }
        } catch (UnsupportedOperationException e) {
            // A session of a provider without SNI support: as if no name was sent.
            LOG.log(System.Logger.Level.DEBUG, "no SNI on this session", e);
        }
        return null;
    }

    private static boolean sameKeyType(KeyMaterial m, String keyType) {
        return keyType != null && family(m.key().getAlgorithm()).equals(family(keyType));
    }

    private static String family(String algorithm) {
        // The JDK names EdDSA keys "EdDSA" or by curve depending on version and on how the key was made.
        return switch (algorithm) {
            case "Ed25519", "Ed448" -> "EdDSA";
            default -> algorithm;
        };
    }

    private KeyMaterial entry(String alias) {
        try {
            int i = Integer.parseInt(alias);
            return i >= 0 && i < entries.size() ? entries.get(i) : null;
        } catch (NumberFormatException | NullPointerException e) {
            return null;
        }
    }

    // ---- X509ExtendedKeyManager --------------------------------------------------------------------------

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        return choose(keyType, engine == null ? null : requestedServerName(engine.getHandshakeSession()));
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        return choose(keyType, socket instanceof SSLSocket s ? requestedServerName(s.getHandshakeSession()) : null);
    }

    @Override
    public String chooseEngineClientAlias(String[] keyTypes, Principal[] issuers, SSLEngine engine) {
        return chooseClientAlias(keyTypes, issuers, null);
    }

    @Override
    public String chooseClientAlias(String[] keyTypes, Principal[] issuers, Socket socket) {
        // The server's certificate_authorities hint is not checked: the server decides, as curl lets it.
        if (keyTypes == null) return null;
        for (String keyType : keyTypes) {
            for (int i = 0; i < entries.size(); i++) {
                if (sameKeyType(entries.get(i), keyType)) return Integer.toString(i);
            }
        }
        return null;
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        return aliases(keyType);
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return aliases(keyType);
    }

    private String[] aliases(String keyType) {
        List<String> aliases = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            if (sameKeyType(entries.get(i), keyType)) aliases.add(Integer.toString(i));
        }
        return aliases.isEmpty() ? null : aliases.toArray(String[]::new);
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        KeyMaterial m = entry(alias);
        return m == null ? null : m.chain().toArray(X509Certificate[]::new);
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        KeyMaterial m = entry(alias);
        return m == null ? null : m.key();
    }

    @Override
    public String toString() {
        return "SniKeyManager" + Arrays.toString(entries.stream().map(KeyMaterial::origin).toArray());
    }
}
