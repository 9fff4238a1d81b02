package dev.porter.core.testing;

import dev.porter.core.Client;
import dev.porter.core.Connection;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;

/**
 * A child JVM's main (run with {@code -Djdk.net.hosts.file} naming a host with several addresses): listens on the
 * host's last address only, then connects to the host by name; prints the address connected to.
 */
public final class ConnectToLastAddress {

    private ConnectToLastAddress() {
    }

    public static void main(String[] args) throws Exception {
        InetAddress[] all = InetAddress.getAllByName(args[0]);
        if (all.length < 2) throw new IllegalStateException("one address only: " + all[0]);
        try (ServerSocket server = new ServerSocket()) {
            server.bind(new InetSocketAddress(all[all.length - 1], 0));
            try (Connection c = Client.connect(args[0], server.getLocalPort(), Duration.ofSeconds(10))) {
                System.out.println("connected to " + c.remoteAddress().getAddress().getHostAddress());
            }
        }
    }
}
