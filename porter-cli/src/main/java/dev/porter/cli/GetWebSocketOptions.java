package dev.porter.cli;

import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;

/**
 * The options of {@code porter get} for {@code ws://} and {@code wss://} URLs (a picocli mixin): how lines become
 * messages and messages become output, the sub-protocols offered, compression, and how long to wait for answers
 * once stdin ends.
 */
final class GetWebSocketOptions {

    @Option(names = "--binary", description = "ws: send each line as a binary message (its UTF-8 bytes) instead of a text message.")
    boolean binary;

    @Option(names = "--raw", description = "ws: print binary messages as their bytes (each followed by a newline) instead of hex.")
    boolean raw;

    @Option(names = "--subprotocol", paramLabel = "NAME", description = "ws: offer this sub-protocol (repeatable, in order of preference).")
    List<String> subprotocols = new ArrayList<>();

    @Option(names = "--no-deflate", description = "ws: do not offer permessage-deflate compression.")
    boolean noDeflate;

    @Option(names = "--linger", paramLabel = "SECONDS", description = "ws: once stdin ends, keep printing what arrives until the server "
            + "has been quiet this long, then close with 1000 (0 closes at once). Default: ${DEFAULT-VALUE}.")
    double linger = 1;

    /** @return the first of these options given, for the usage error of an http(s) URL; null if none */
    String firstGiven() {
        if (binary) return "--binary";
        if (raw) return "--raw";
        if (!subprotocols.isEmpty()) return "--subprotocol";
        if (noDeflate) return "--no-deflate";
        if (linger != 1) return "--linger";
        return null;
    }
}
