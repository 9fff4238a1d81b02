package dev.porter.cli;

import dev.porter.core.KeySource;
import dev.porter.core.TlsSetupException;

import java.security.cert.X509Certificate;
import java.util.function.Consumer;

/**
 * Reloads a server's certificates when the process gets SIGHUP, as nginx and most Unix daemons do, and tells the
 * outcome in one line ({@link TlsFileWatch} does the same when the files change, every 10 s). SIGHUP is caught by {@link Signals}; where it cannot
 * be (a runtime without {@code jdk.unsupported}, a platform without
 * SIGHUP, or a JVM started under {@code nohup}, which ignores the signal) a one-line notice says so and the file
 * watch still works.
 */
final class TlsReload {

    /** What is reloaded: {@code Server.reloadTls()} or {@code HttpServer.reloadTls()}. */
    @FunctionalInterface
    interface Reloadable {
        void reloadTls() throws TlsSetupException;
    }

    private TlsReload() {
    }

    /**
     * Reloads {@code server}'s certificates on every SIGHUP, telling the outcome with {@link #reload}.
     *
     * @return true if SIGHUP is caught; false after printing a notice on {@code err}
     */
    static boolean onHangup(Reloadable server, KeySource source, String command, Consumer<String> out, Consumer<String> err) {
        Runnable action = () -> reload(server, source, command, out, err);
        try {
            Signals.onHangup(action);
            return true;
        } catch (UnsupportedOperationException | LinkageError e) {
            err.accept(command + ": note: SIGHUP cannot be caught here (" + e.getMessage()
                    + "); certificates still reload when their files change");
            return false;
        }
    }

    /**
     * Reloads now: new connections get the certificate on disk, existing ones keep theirs. Prints
     * {@code TLS certificate reloaded: SHA-256 …} on {@code out}, or one line on {@code err} if the files are
     * broken (the server then keeps the certificate it had).
     *
     * @return true if reloaded
     */
    static boolean reload(Reloadable server, KeySource source, String command, Consumer<String> out, Consumer<String> err) {
        try {
            server.reloadTls();
        } catch (TlsSetupException e) {
            err.accept(command + ": TLS certificate not reloaded, keeping the current one: " + e.getMessage());
            return false;
        } catch (RuntimeException e) {
            err.accept(command + ": TLS certificate not reloaded, keeping the current one: " + e);
            return false;
        }
        X509Certificate leaf = TlsOptions.leaf(source);
        out.accept("TLS certificate reloaded" + (leaf == null ? "" : ": SHA-256 " + DevCertificate.fingerprint(leaf)));
        return true;
    }
}
