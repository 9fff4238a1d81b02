package dev.porter.cli;

import dev.porter.http.ExchangeListener;

import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;

/**
 * Prints heads as {@code porter get} shows them: with {@code -v}, the connection, the request head ({@code > }) and
 * every response head ({@code < }) on stderr, like curl; with {@code -I}, every final response head on stdout.
 */
final class HeadPrinter implements ExchangeListener {

    private final PrintStream verbose;
    private final PrintStream heads;

    /** @param verbose where -v output goes, or null; @param heads where -I output goes, or null */
    HeadPrinter(PrintStream verbose, PrintStream heads) {
        this.verbose = verbose;
        this.heads = heads;
    }

    @Override
    public void connected(URI uri, InetSocketAddress remote) {
        if (verbose != null) {
            verbose.println("* Connected to " + uri.getHost() + " (" + remote.getAddress().getHostAddress() + ") port "
                    + remote.getPort());
        }
    }

    @Override
    public void requestHead(List<String> lines) {
        if (verbose == null) return;
        for (String line : lines) verbose.println("> " + line);
        verbose.println(">");
        verbose.flush();
    }

    @Override
    public void responseHead(List<String> lines) {
        if (verbose != null) {
            for (String line : lines) verbose.println("< " + line);
            verbose.println("<");
            verbose.flush();
        }
        if (heads != null && !isInterim(lines.get(0))) {
            StringBuilder sb = new StringBuilder();
            for (String line : lines) sb.append(line).append("\r\n");
            heads.print(sb.append("\r\n"));
            heads.flush();
        }
    }

    /** @return true for a 1xx status line ({@code HTTP/1.1 1xx ...}) */
    private static boolean isInterim(String statusLine) {
        return statusLine.length() > 9 && statusLine.charAt(9) == '1';
    }
}
