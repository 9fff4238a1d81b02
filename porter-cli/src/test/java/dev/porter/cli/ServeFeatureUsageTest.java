package dev.porter.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Options of serve's features that do not fit together, or values that cannot work: usage errors, exit 2. */
class ServeFeatureUsageTest {

    private static void usage(String expected, String... args) {
        Cli.Result r = Cli.run(args);
        assertThat(r.exitCode()).as(r.err()).isEqualTo(2);
        assertThat(r.err()).contains(expected);
    }

    @Test
    void corsWithoutAnOriginLeavesTheFolderThatFollowsItAsTheFolder(@TempDir Path site) {
        // "porter serve --cors site" read the folder as the origin: a usage error instead of any site allowed.
        ServeCommand bare = new ServeCommand();
        new picocli.CommandLine(bare).parseArgs("--cors", site.toString());
        assertThat(bare.features.cors).isEqualTo("*");
        assertThat(bare.dirArgument).isEqualTo(site);

        ServeCommand origin = new ServeCommand();
        new picocli.CommandLine(origin).parseArgs("--cors", "https://app.example", site.toString());
        assertThat(origin.features.cors).isEqualTo("https://app.example");
        assertThat(origin.dirArgument).isEqualTo(site);

        ServeCommand star = new ServeCommand();
        new picocli.CommandLine(star).parseArgs("--cors=*");
        assertThat(star.features.cors).isEqualTo("*");
        assertThat(star.dirArgument).isNull();
    }

    @Test
    void uploadOptionsNeedUpload() {
        usage("--overwrite needs --upload", "serve", "--overwrite");
        usage("--mkdir needs --upload", "serve", "--mkdir");
    }

    @Test
    void headersMustBeValidFields() {
        usage("-H: expected 'Name: value'", "serve", "-H", "no colon");
        usage("-H: not a header name", "serve", "-H", "Bad Name: x");
    }

    @Test
    void headersCannotSetTheFramingTheServerWritesItself() {
        // -H 'Transfer-Encoding: chunked' broke every HTTP/1.1 answer (chunked announced, then a plain body after
        // Content-Length); -H 'Content-Length: 5' sent two differing lengths, which caches and proxies must reject.
        usage("-H cannot set Transfer-Encoding", "serve", "-H", "Transfer-Encoding: chunked");
        usage("-H cannot set content-length", "serve", "-H", "content-length: 5");
        usage("-H cannot set Connection", "serve", "-H", "Connection: close");
        usage("-H cannot set Upgrade", "serve", "-H", "Upgrade: h2c");
    }

    @Test
    void cacheControlComesFromCacheOrDashHNotBoth() {
        usage("give --cache or -H 'Cache-Control: …', not both", "serve", "--cache", "60", "-H", "Cache-Control: no-store");
    }

    @Test
    void corsTakesStarOrAnOrigin() {
        usage("--cors takes * or an origin", "serve", "--cors", "https://app.example/path");
        usage("--cors takes * or an origin", "serve", "--cors", "app.example");
        // No browser sends such an origin: accepted, it made --cors match nothing.
        usage("--cors: the origin's port must be a number from 1 to 65535: http://app.example:99999", "serve",
                "--cors", "http://app.example:99999");
        usage("--cors: the origin's port must be a number from 1 to 65535: http://[::1]:0", "serve", "--cors",
                "http://[::1]:0");
    }

    @Test
    void theLogQueueHoldsAtLeastOneLine() {
        usage("--log-queue must be 1 or more lines: 0", "serve", "--log-queue", "0");
        usage("--log-queue must be 1 or more lines: -5", "demo", "--access-log", "--log-queue", "-5");
    }

    @Test
    void authOptionsMustMakeSense() {
        usage("--auth takes USER:PASSWORD", "serve", "--auth", "nopassword");
        usage("--auth-writes-only needs --auth or --auth-file", "serve", "--upload", "--auth-writes-only");
        usage("--auth-writes-only needs --upload", "serve", "--auth", "a:b", "--auth-writes-only");
    }

    @Test
    void logOptionsTakeTheirWords() {
        usage("--log-format takes common, combined or json", "serve", "--log-format", "xml");
        usage("-o/--log-level takes none, info or verbose", "serve", "-o", "debug");
    }

    @Test
    void sizesReadAsPeopleWriteThem() {
        ByteSize s = new ByteSize();
        assertThat(s.convert("1024")).isEqualTo(1024L);
        assertThat(s.convert("500M")).isEqualTo(500L << 20);
        assertThat(s.convert("2g")).isEqualTo(2L << 30);
        assertThat(s.convert("1GiB")).isEqualTo(1L << 30);
        assertThat(s.convert("10KB")).isEqualTo(10L << 10);
        assertThat(s.convert("unlimited")).isEqualTo(Long.MAX_VALUE);
        assertThat(s.convert("9999999T")).isEqualTo(Long.MAX_VALUE);
        usage("is not a size", "serve", "--upload", "--upload-limit", "lots");
    }
}
