package dev.porter.cli;

import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintStream;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Reaching {@code porter serve} from another device (a picocli mixin): when bound to every interface, the
 * addresses of this machine's network (LAN) interfaces are printed as URLs, IPv4 first; {@code --qr} draws the
 * first as a QR code for a phone's camera; {@code --open} opens the served URL in the default browser.
 */
final class Reach {

    @Option(names = "--qr", description = "Print a QR code of the server's LAN address (or its URL when bound to one "
            + "address), for a phone's camera.")
    boolean qr;

    @Option(names = "--open", description = "Open the served URL in the default browser (xdg-open, or open on macOS).")
    boolean open;

    /** @return true for the wildcard addresses ({@code 0.0.0.0}, {@code ::}) */
    static boolean everyInterface(InetAddress bound) {
        return bound.isAnyLocalAddress();
    }

    /**
     * @return URLs for every address of the machine's up, non-loopback interfaces, IPv4 first (what people type
     *         and what phones reach best), IPv6 link-local ones left out (they need a zone id no browser takes)
     */
    static List<String> lanUrls(String scheme, int port, boolean ipv6Too) {
        List<String> v4 = new ArrayList<>();
        List<String> v6 = new ArrayList<>();
        try {
            for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (!ni.isUp() || ni.isLoopback()) continue;
                for (InetAddress a : Collections.list(ni.getInetAddresses())) {
                    if (a instanceof Inet4Address) {
                        v4.add(scheme + "://" + a.getHostAddress() + ":" + port + "/");
                    } else if (ipv6Too && a instanceof Inet6Address && !a.isLinkLocalAddress()) {
                        v6.add(scheme + "://[" + Addresses.host(a) + "]:" + port + "/");
                    }
                }
            }
        } catch (SocketException e) {
            return List.of(); // interfaces cannot be listed: the Listening line still says where the server is
        }
        v4.addAll(v6);
        return v4;
    }

    /**
     * Prints the LAN lines and the QR code as asked.
     *
     * @param ipv6  the address asked for was IPv6 ({@code ::}): list IPv6 addresses too (the JDK may report a
     *              dual-stack socket as IPv6 even for {@code 0.0.0.0}, so the user's spelling decides)
     * @param local the URL of the Listening line
     */
    void print(PrintStream out, String scheme, InetAddress bound, boolean ipv6, int port, String local, boolean colour) {
        List<String> lan = everyInterface(bound) ? lanUrls(scheme, port, ipv6) : List.of();
        for (String url : lan) out.println("On your network: " + url);
        if (qr) {
            String target = lan.isEmpty() ? local : lan.get(0);
            if (lan.isEmpty() && bound.isLoopbackAddress()) {
                out.println("(the QR code's address is this machine only: give -b 0.0.0.0 to reach it from a phone)");
            }
            for (String line : TerminalQr.render(target, colour)) out.println(line);
        }
    }

    /** Opens {@code url} in the default browser; one line on stderr when there is none to run. */
    void openBrowser(String url, PrintStream err) {
        if (!open) return;
        boolean mac = System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("mac");
        String opener = mac ? "open" : "xdg-open";
        try {
            new ProcessBuilder(opener, url).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            err.println("porter serve: cannot open a browser (" + opener + " is not installed); open " + url + " yourself");
        }
    }
}
