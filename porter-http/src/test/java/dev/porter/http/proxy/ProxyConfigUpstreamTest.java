package dev.porter.http.proxy;

import dev.porter.http.ProxyConfig;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What an upstream URI must be, and what is said when it is not (the CLI's {@code --to} shows the message). */
class ProxyConfigUpstreamTest {

    @Test
    void aPortOutOfRangeIsNamedAsSuch() {
        // URI takes any digits as a port, and reads a sign or a letter there as an authority without a host: either
        // way the message names the port, not a missing host.
        for (String to : new String[] {"http://h:99999", "http://127.0.0.1:-1", "http://my_backend:70000",
                "http://[::1]:65536", "http://127.0.0.1:0", "http://127.0.0.1:8x"}) {
            assertThatThrownBy(() -> ProxyConfig.builder(to).build()).as(to)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("upstream port must be a number from 1 to 65535: " + to);
        }
    }

    @Test
    void portsInRangeAndDefaultPortsAreAccepted() {
        for (String to : new String[] {"http://h:1", "https://h:65535", "http://my_backend:8080", "http://[::1]:80",
                "http://[::1]", "http://h", "http://h:"}) {
            assertThat(ProxyConfig.builder(to).build().upstreams()).as(to).hasSize(1);
        }
    }
}
