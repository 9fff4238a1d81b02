package dev.porter.cli;

import dev.porter.core.KeySource;
import dev.porter.core.TlsSetupException;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.security.cert.X509Certificate;
import java.util.function.Consumer;

/**
 * Reloads a server's certificates when the process gets SIGHUP, as nginx and most Unix daemons do (the core also
 * reloads them by itself when their files change, every 10 s). SIGHUP is caught with {@code sun.misc.Signal}, the
 * only way the JDK offers; where it is missing (a runtime without {@code jdk.unsupported}, a platform without
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
            Hangup.install(action);
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

    /**
     * {@code sun.misc.Signal.handle(new Signal("HUP"), handler)}, reflectively: {@code sun.misc} is in the
     * {@code jdk.unsupported} module, which a trimmed runtime may lack, and javac warns about every direct use.
     */
    private static final class Hangup {
        static void install(Runnable action) {
            try {
                Class<?> signalClass = Class.forName("sun.misc.Signal");
                Class<?> handlerClass = Class.forName("sun.misc.SignalHandler");
                Object hup = signalClass.getConstructor(String.class).newInstance("HUP");
                Object handler = Proxy.newProxyInstance(handlerClass.getClassLoader(), new Class<?>[] {handlerClass},
                        (proxy, method, args) -> switch (method.getName()) {
                            case "handle" -> {
                                action.run();
                                yield null;
                            }
                            case "hashCode" -> System.identityHashCode(proxy);
                            case "equals" -> proxy == args[0];
                            default -> "SIGHUP: reload TLS certificates";
                        });
                Object previous = signalClass.getMethod("handle", signalClass, handlerClass).invoke(null, hup, handler);
                // HotSpot installs nothing for a signal the process inherited as ignored (nohup does that) and
                // answers SIG_IGN without an error: the handler would never run, so say so rather than wait in vain.
                if (previous == handlerClass.getField("SIG_IGN").get(null)) {
                    throw new UnsupportedOperationException("SIGHUP is ignored in this process, as under nohup");
                }
            } catch (InvocationTargetException e) {
                // Signal's own refusal: "Unknown signal: HUP" (no such signal here), "Signal already used by VM or OS".
                Throwable cause = e.getCause();
                throw new UnsupportedOperationException(cause == null ? e.toString() : cause.getMessage(), cause);
            } catch (ReflectiveOperationException e) {
                throw new UnsupportedOperationException("no sun.misc.Signal in this runtime", e);
            }
        }
    }
}
