package dev.porter.cli;

import dev.porter.core.testing.TestCertificates;
import dev.porter.http.ClientConfig;
import dev.porter.http.ClientRequest;
import dev.porter.http.ClientResponse;
import dev.porter.http.HttpClient;
import dev.porter.http.HttpVersion;
import dev.porter.http.testing.Nginx;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code porter proxy} as a user runs it: in front of nginx, its first lines, 502 for a dead group, usage errors. */
class ProxyCommandTest {

    private static HttpClient client() {
        return HttpClient.create(ClientConfig.builder().httpVersion(HttpVersion.HTTP_1_1).build());
    }

    @Test
    void proxiesToNginxAndStopsOnSigterm() throws Exception {
        try (Nginx nginx = Nginx.start("location /api/ { return 200 \"api $request_method $http_x_forwarded_for\"; }")) {
            Files.writeString(nginx.root().resolve("index.html"), "<p>hi</p>\n");
            String to = "http://127.0.0.1:" + nginx.port();
            try (PorterProcess porter = PorterProcess.start("proxy", "--to", to, "-p", "0", "--balance", "least-conn",
                    "--health-path", "/index.html", "--health-interval", "0.2"); HttpClient c = client()) {
                int port = porter.listeningPort("http");
                assertThat(porter.nextLine()).isEqualTo("Proxying to " + to + " (least-conn, checking /index.html)");
                try (ClientResponse r = c.send(ClientRequest.get("http://127.0.0.1:" + port + "/index.html"))) {
                    assertThat(r.statusCode()).isEqualTo(200);
                    assertThat(r.bodyString()).isEqualTo("<p>hi</p>\n");
                }
                try (ClientResponse r = c.send(ClientRequest.builder("DELETE", "http://127.0.0.1:" + port + "/api/x").build())) {
                    assertThat(r.bodyString()).isEqualTo("api DELETE 127.0.0.1");
                }
                assertThat(porter.terminate()).as("SIGTERM: the shutdown hook stops gracefully").isIn(0, 143);
            }
        }
    }

    /** An https backend signed by an internal authority: trusted with --upstream-cacert, a bad gateway without. */
    @Test
    void proxiesToAnHttpsBackendWhoseAuthorityItIsGiven(@TempDir Path dir) throws Exception {
        TestCertificates ca = TestCertificates.create(dir);
        TestCertificates.Issued leaf = ca.server("localhost", "127.0.0.1");
        try (Nginx nginx = Nginx.startTls("location = /tls { return 200 \"$ssl_protocol $scheme\"; }",
                leaf.certificateFile(), leaf.keyFile()); HttpClient c = client()) {
            String to = "https://127.0.0.1:" + nginx.port();
            try (PorterProcess porter = PorterProcess.start("proxy", "--to", to, "-p", "0",
                    "--upstream-cacert", ca.caFile().toString())) {
                int port = porter.listeningPort("http");
                try (ClientResponse r = c.send(ClientRequest.get("http://127.0.0.1:" + port + "/tls"))) {
                    assertThat(r.statusCode()).isEqualTo(200);
                    assertThat(r.bodyString()).isEqualTo("TLSv1.3 https");
                }
                assertThat(porter.terminate()).isIn(0, 143);
            }
            try (PorterProcess porter = PorterProcess.start("proxy", "--to", to, "-p", "0")) {
                int port = porter.listeningPort("http");
                try (ClientResponse r = c.send(ClientRequest.get("http://127.0.0.1:" + port + "/tls"))) {
                    assertThat(r.statusCode()).as("the JDK's trust store does not know the test's authority").isEqualTo(502);
                }
                assertThat(porter.terminate()).isIn(0, 143);
            }
        }
    }

    /** A backend that requires a client certificate (nginx, ssl_verify_client on) gets the proxy's. */
    @Test
    void presentsItsClientCertificateToABackendThatRequiresOne(@TempDir Path dir) throws Exception {
        TestCertificates ca = TestCertificates.create(dir);
        TestCertificates.Issued leaf = ca.server("localhost", "127.0.0.1");
        TestCertificates.Issued me = ca.client("porter-proxy");
        try (Nginx nginx = Nginx.startTlsClientAuth("location = /who { return 200 \"$ssl_client_verify $ssl_client_s_dn\"; }",
                leaf.certificateFile(), leaf.keyFile(), ca.caFile()); HttpClient c = client()) {
            String to = "https://127.0.0.1:" + nginx.port();
            try (PorterProcess porter = PorterProcess.start("proxy", "--to", to, "-p", "0", "--upstream-cacert",
                    ca.caFile().toString(), "--upstream-cert", me.certificateFile().toString(),
                    "--upstream-key", me.keyFile().toString())) {
                int port = porter.listeningPort("http");
                try (ClientResponse r = c.send(ClientRequest.get("http://127.0.0.1:" + port + "/who"))) {
                    assertThat(r.statusCode()).isEqualTo(200);
                    assertThat(r.bodyString()).startsWith("SUCCESS ").contains("CN=porter-proxy");
                }
                assertThat(porter.terminate()).isIn(0, 143);
            }
            try (PorterProcess porter = PorterProcess.start("proxy", "--to", to, "-p", "0", "--upstream-cacert",
                    ca.caFile().toString())) {
                int port = porter.listeningPort("http");
                try (ClientResponse r = c.send(ClientRequest.get("http://127.0.0.1:" + port + "/who"))) {
                    assertThat(r.statusCode()).as("nginx: no required SSL certificate was sent").isEqualTo(400);
                }
                assertThat(porter.terminate()).isIn(0, 143);
            }
        }
    }

    @Test
    void aGroupThatRefusesEverythingIs502() throws Exception {
        int dead;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            dead = s.getLocalPort();
        }
        try (PorterProcess porter = PorterProcess.start("proxy", "--to", "http://127.0.0.1:" + dead, "-p", "0",
                "--buffer-requests", "1m"); HttpClient c = client()) {
            int port = porter.listeningPort("http");
            try (ClientResponse r = c.send(ClientRequest.post("http://127.0.0.1:" + port + "/", ClientRequest.Body.of("x")))) {
                assertThat(r.statusCode()).isEqualTo(502);
                assertThat(r.bodyString()).isEqualTo("Bad Gateway: the upstream server refused the connection\n");
            }
            assertThat(porter.terminate()).as("SIGTERM: the shutdown hook stops gracefully").isIn(0, 143);
        }
    }

    @Test
    void badOptionsAreUsageErrors() {
        assertThat(Cli.run("proxy").exitCode()).as("--to is required").isEqualTo(2);
        Cli.Result scheme = Cli.run("proxy", "--to", "ftp://127.0.0.1:21");
        assertThat(scheme.exitCode()).isEqualTo(2);
        assertThat(scheme.err()).contains("upstream must be http:// or https://");
        assertThat(Cli.run("proxy", "--to", "http://127.0.0.1:1/path").exitCode()).isEqualTo(2);
        assertThat(Cli.run("proxy", "--to", "http://127.0.0.1:1", "--balance", "random").err()).contains("--balance must be");
        assertThat(Cli.run("proxy", "--to", "http://127.0.0.1:1", "--sticky", "moon").exitCode()).isEqualTo(2);
        assertThat(Cli.run("proxy", "--to", "http://127.0.0.1:1", "--buffer-requests", "lots").err()).contains("--buffer-requests");
        assertThat(Cli.run("proxy", "--to", "http://127.0.0.1:1", "--trusted-proxy", "example.com").exitCode()).isEqualTo(2);
        assertThat(Cli.run("proxy", "--to", "http://127.0.0.1:1", "--read-timeout", "0").exitCode()).isEqualTo(2);
    }

    @Test
    void aBackendPortOutOfRangeIsSaidSo() {
        // Was "upstream has no host" (URI reads "-1" as part of a host name); every case in ProxyConfigUpstreamTest.
        Cli.Result r = Cli.run("proxy", "--to", "http://127.0.0.1:-1", "-p", "0");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err().lines().findFirst().orElse(""))
                .isEqualTo("upstream port must be a number from 1 to 65535: http://127.0.0.1:-1");
    }

    @Test
    void aPortInUseIsOneLineAndExitOne() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Cli.Result r = Cli.run("proxy", "--to", "http://127.0.0.1:1", "-p", String.valueOf(taken.getLocalPort()));
            assertThat(r.exitCode()).isEqualTo(1);
            assertThat(r.err().strip()).startsWith("porter proxy: cannot listen on 127.0.0.1:" + taken.getLocalPort()).doesNotContain("\n");
        }
    }
}
