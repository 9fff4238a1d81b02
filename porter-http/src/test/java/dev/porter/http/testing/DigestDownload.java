package dev.porter.http.testing;

import dev.porter.http.ClientResponse;
import dev.porter.http.HttpClient;

import java.io.InputStream;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * Downloads a URL with Porter's client straight into a SHA-256 digest, never holding the body, and prints
 * {@code <hex digest> <bytes> <max heap>}. Run in a separate JVM with a small heap by the big-download test, which
 * proves the body is streamed: buffering a 1 GiB body would not fit.
 */
public final class DigestDownload {

    private DigestDownload() {
    }

    public static void main(String[] args) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        long total = 0;
        try (HttpClient client = HttpClient.create(); ClientResponse res = client.get(args[0])) {
            if (res.statusCode() != 200) {
                System.out.println("status " + res.statusCode());
                System.exit(2);
            }
            InputStream in = res.body();
            byte[] buf = new byte[256 * 1024];
            for (int n; (n = in.read(buf)) > 0; ) {
                sha.update(buf, 0, n);
                total += n;
            }
        }
        System.out.println(HexFormat.of().formatHex(sha.digest()) + " " + total + " " + Runtime.getRuntime().maxMemory());
    }
}
