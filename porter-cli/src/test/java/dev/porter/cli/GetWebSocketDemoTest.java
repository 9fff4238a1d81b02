package dev.porter.cli;

import org.junit.jupiter.api.Test;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The real CLI twice: {@code porter demo} serving {@code /ws}, and {@code porter get ws://…/ws} talking to it as a
 * person at a terminal would: a line typed, its echo printed, and so on; end of input closes with exit 0.
 */
class GetWebSocketDemoTest {

    @Test
    void aConversationWithTheDemosEchoLineByLine() throws Exception {
        try (PorterProcess demo = PorterProcess.start("demo", "-p", "0")) {
            int port = demo.listeningPort("http");
            try (PorterProcess get = PorterProcess.start("get", "--linger", "0.2", "ws://127.0.0.1:" + port + "/ws")) {
                OutputStream stdin = get.stdin();
                for (String line : new String[]{"hello", "héllo wörld", "{\"json\": true}"}) {
                    stdin.write((line + "\n").getBytes(StandardCharsets.UTF_8));
                    stdin.flush();
                    assertThat(get.nextLine()).isEqualTo(line); // echoed before the next line is typed
                }
                stdin.close();
                assertThat(get.awaitExit()).as(get.stderr()).isZero();
                assertThat(get.nextLine()).isNull();
                assertThat(get.stderr()).isEmpty();
            }
            demo.terminate();
        }
    }

    @Test
    void aPathThatIsNotAWebSocketIsOneLineAndExit22() throws Exception {
        try (PorterProcess demo = PorterProcess.start("demo", "-p", "0")) {
            int port = demo.listeningPort("http");
            try (PorterProcess get = PorterProcess.start("get", "ws://127.0.0.1:" + port + "/json")) {
                get.stdin().close();
                assertThat(get.awaitExit()).isEqualTo(22);
                assertThat(get.stderr()).startsWith("porter get: WebSocket handshake failed: the server answered 200 OK instead of 101")
                        .hasLineCount(1);
            }
            demo.terminate();
        }
    }
}
