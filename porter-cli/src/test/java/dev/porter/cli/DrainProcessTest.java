package dev.porter.cli;

import dev.porter.core.testing.RawClient;
import org.junit.jupiter.api.Test;

import java.net.ConnectException;
import java.net.Socket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code --drain-grace} on SIGTERM: the port closes at once, an open conversation goes on being served for the
 * grace, then the graceful stop ends it.
 */
class DrainProcessTest {

    @Test
    void sigtermClosesThePortAndServesOpenConnectionsForTheGrace() {
        try (PorterProcess echo = PorterProcess.start("echo", "-p", "0", "--drain-grace", "3s")) {
            String first = echo.nextLine();
            int port = Integer.parseInt(first.substring(first.lastIndexOf(':') + 1));
            try (RawClient client = RawClient.connect("127.0.0.1", port)) {
                client.sendLine("before");
                assertThat(client.readLine()).isEqualTo("before");
                echo.signalTerm();
                assertThat(echo.nextLine()).startsWith("Draining: no new connections");
                assertThatThrownBy(() -> new Socket("127.0.0.1", port).close()).isInstanceOf(ConnectException.class);
                client.sendLine("during the drain");
                assertThat(client.readLine()).isEqualTo("during the drain");
                client.expectClosed(); // the graceful stop after the grace ends the idle conversation
            }
            assertThat(echo.nextLine()).isEqualTo("Stopped");
            assertThat(echo.awaitExit()).isIn(0, 143);
        }
    }
}
