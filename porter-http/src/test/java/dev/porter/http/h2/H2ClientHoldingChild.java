package dev.porter.http.h2;

import dev.porter.http.ClientConfig;
import dev.porter.http.ClientResponse;
import dev.porter.http.HttpClient;
import dev.porter.http.HttpVersion;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A client for a forked JVM with a small {@code -Xmx} ({@link Http2ResponseBodyMemoryTest}): sends {@code GET /} to
 * the h2c server on this machine's port {@code args[0]} on {@code args[1]} streams at once and reads none of the
 * bodies; each line on standard input is answered with the heap committed and the heap in use, in bytes.
 */
public final class H2ClientHoldingChild {

    private H2ClientHoldingChild() {
    }

    public static void main(String[] args) throws Exception {
        HttpClient client = HttpClient.create(ClientConfig.builder().httpVersion(HttpVersion.HTTP_2_PRIOR_KNOWLEDGE).build());
        List<ClientResponse> held = new ArrayList<>();
        List<Thread> requests = new ArrayList<>();
        for (int i = 0; i < Integer.parseInt(args[1]); i++) {
            requests.add(Thread.ofVirtual().start(() -> {
                try {
                    ClientResponse r = client.get("http://127.0.0.1:" + args[0] + "/");
                    synchronized (held) {
                        held.add(r);
                    }
                } catch (Exception e) {
                    System.out.println("FAILED " + e);
                }
            }));
        }
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        while (in.readLine() != null) {
            Runtime rt = Runtime.getRuntime();
            System.out.println(rt.totalMemory() + " " + (rt.totalMemory() - rt.freeMemory()));
            System.out.flush();
        }
        for (Thread t : requests) t.join();
        System.out.println(held.size());
    }
}
