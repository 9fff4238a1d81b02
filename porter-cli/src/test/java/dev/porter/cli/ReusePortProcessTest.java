package dev.porter.cli;

import dev.porter.core.testing.TestServers;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Two {@code porter demo --reuse-port} processes listen on one port, and the kernel gives each a share. */
class ReusePortProcessTest {

    @Test
    void twoProcessesOnOnePortBothServe() {
        assumeTrue(System.getProperty("os.name").toLowerCase().contains("linux"), "SO_REUSEPORT balancing is Linux's");
        int port = TestServers.freePort();
        try (Backends.Node a = Backends.Node.start(port, "--reuse-port");
             Backends.Node b = Backends.Node.start(port, "--reuse-port")) {
            // Each new connection goes to one of them (the kernel hashes its addresses): 64 make missing one ~2^-63.
            for (int i = 0; i < 64; i++) {
                assertThat(Backends.get(port, "/plaintext", "")).startsWith("HTTP/1.1 200");
            }
            a.awaitLine(l -> l.contains("\"GET /plaintext HTTP/1.1\" 200"));
            b.awaitLine(l -> l.contains("\"GET /plaintext HTTP/1.1\" 200"));
        }
    }

    @Test
    void withoutReusePortTheSecondProcessCannotListen() {
        int port = TestServers.freePort();
        try (Backends.Node a = Backends.Node.start(port)) {
            PorterProcess b = PorterProcess.start("demo", "-p", Integer.toString(port));
            assertThat(b.awaitExit()).isEqualTo(ExitCode.FAILURE.code());
            assertThat(b.stderr()).contains("cannot listen on");
        }
    }
}
