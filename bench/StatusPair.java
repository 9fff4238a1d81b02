import dev.porter.examples.DemoApp;
import dev.porter.http.HttpConfig;
import dev.porter.http.HttpServer;
import dev.porter.http.StatusPage;

/**
 * Two demo servers in one JVM for bench/status-cost --same-jvm: the first port without the status page, the second
 * with it. Loading them in turn, a second each, compares the two under the same machine load and the same JIT.
 *
 * With {@code --control} the second server runs without the status page too (an A/A run: the noise floor).
 *
 * <pre>java -cp porter-cli/target/porter.jar bench/StatusPair.java OFF_PORT ON_PORT [--control]</pre>
 */
public class StatusPair {
    public static void main(String[] args) throws Exception {
        HttpServer off = HttpServer.start(HttpConfig.builder().host("127.0.0.1").port(Integer.parseInt(args[0])).build(),
                DemoApp.router());
        boolean control = args.length > 2 && args[2].equals("--control");
        HttpConfig.Builder second = HttpConfig.builder().host("127.0.0.1").port(Integer.parseInt(args[1]));
        if (!control) second.statusPage(StatusPage.defaults());
        HttpServer on = HttpServer.start(second.build(), DemoApp.router());
        System.out.println("off on " + off.port() + ", on on " + on.port());
        off.awaitStop();
    }
}
