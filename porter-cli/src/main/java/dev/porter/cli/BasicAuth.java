package dev.porter.cli;

import dev.porter.http.Filter;
import dev.porter.http.Handler;
import dev.porter.http.Request;
import dev.porter.http.Response;
import dev.porter.http.Status;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;

/**
 * HTTP Basic authentication (RFC 7617) for {@code porter serve}: a request without valid credentials gets 401 with
 * {@code WWW-Authenticate: Basic realm="porter", charset="UTF-8"} (§2.1: user and password are UTF-8). Users come
 * from {@code --auth user:password} (kept as a SHA-256 digest) or {@code --auth-file} (PBKDF2, {@link PasswordHash});
 * every comparison is of digests with {@link MessageDigest#isEqual}, in constant time, and an unknown user costs
 * the same work as a known one. A browser sends the credentials with every request, and PBKDF2 is slow on purpose
 * (about half a second), so credentials that passed are remembered as a SHA-256 digest (a bounded set); at most two
 * PBKDF2 checks run at once, so wrong guesses cannot take every core. With {@code writesOnly}, only PUT and POST
 * need credentials. Thread-safe.
 */
final class BasicAuth implements Filter {

    static final String CHALLENGE = "Basic realm=\"porter\", charset=\"UTF-8\"";
    private static final int MAX_REMEMBERED = 1024;

    /** A user's secret: the SHA-256 of a plain password, or a PBKDF2 hash. */
    sealed interface Secret permits Plain, Hashed {
    }

    record Plain(byte[] sha256) implements Secret {
    }

    record Hashed(PasswordHash hash) implements Secret {
    }

    private final Map<String, Secret> users;
    private final boolean writesOnly;
    private final Set<String> remembered = ConcurrentHashMap.newKeySet();
    private final Semaphore slowChecks = new Semaphore(2);
    /** A hash checked for unknown users, so that they cost the same as known ones; null without hashed users. */
    private final PasswordHash decoy;

    BasicAuth(Map<String, Secret> users, boolean writesOnly) {
        this.users = Map.copyOf(users);
        this.writesOnly = writesOnly;
        this.decoy = users.values().stream().filter(s -> s instanceof Hashed).map(s -> ((Hashed) s).hash())
                .findFirst().orElse(null);
    }

    static Plain plain(String password) {
        return new Plain(sha256(password.getBytes(StandardCharsets.UTF_8)));
    }

    @Override
    public void filter(Request request, Response response, Handler next) throws Exception {
        String m = request.method();
        boolean write = m.equals("PUT") || m.equals("POST") || m.equals("DELETE");
        if ((!writesOnly || write) && !authorized(request.header("Authorization"))) {
            response.status(Status.UNAUTHORIZED);
            response.setHeader("WWW-Authenticate", CHALLENGE);
            response.send("Unauthorized: this server needs a user name and password\n");
            return;
        }
        next.handle(request, response);
    }

    /** @return true if {@code header} is {@code Basic base64(user:password)} naming a user with that password */
    boolean authorized(String header) throws InterruptedException {
        if (header == null || header.length() < 6 || !header.regionMatches(true, 0, "Basic ", 0, 6)) return false;
        byte[] decoded;
        try {
            decoded = Base64.getDecoder().decode(header.substring(6).strip());
        } catch (IllegalArgumentException e) {
            return false;
        }
        String pair = new String(decoded, StandardCharsets.UTF_8);
        int colon = pair.indexOf(':');
        if (colon < 0) return false;
        String user = pair.substring(0, colon);
        String password = pair.substring(colon + 1);
        Secret secret = users.get(user);
        if (secret instanceof Plain p) {
            return MessageDigest.isEqual(p.sha256(), sha256(password.getBytes(StandardCharsets.UTF_8)));
        }
        String key = java.util.HexFormat.of().formatHex(sha256(decoded));
        if (secret instanceof Hashed && remembered.contains(key)) return true;
        if (secret == null && decoy == null) return false; // plain users only: their check is fast anyway
        slowChecks.acquire();
        try {
            if (!(secret instanceof Hashed h)) {
                decoy.matches(password.toCharArray()); // the same work for an unknown user: no hint that it is unknown
                return false;
            }
            if (!h.hash().matches(password.toCharArray())) return false;
        } finally {
            slowChecks.release();
        }
        if (remembered.size() >= MAX_REMEMBERED) remembered.clear();
        remembered.add(key);
        return true;
    }

    static byte[] sha256(byte[] b) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(b);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }
}
