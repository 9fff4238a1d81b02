package dev.porter.cli;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The signals a server command answers, as nginx and Caddy answer them:
 * <ul>
 *   <li>SIGINT (Ctrl-C) or SIGTERM: the graceful stop (the shutdown hook: a drain if asked, then the grace);
 *       <b>a second one stops at once</b>, cutting the drain and the grace (Caddy: "send the signal again to force
 *       exit"), so a user who pressed Ctrl-C on a server draining for a minute is not stuck. The exit code is the
 *       JVM's own for a signal either way: 128 + its number (130, 143).</li>
 *   <li>SIGHUP: reload the TLS certificate, or, with nothing to reload, one line and the server goes on — it never
 *       stops a server (the JVM's default would end the process: a server with TLS and one without would answer
 *       the same signal in opposite ways).</li>
 * </ul>
 * Signals are caught with {@code sun.misc.Signal}, the only way the JDK offers, reflectively: {@code sun.misc} is in
 * the {@code jdk.unsupported} module, which a trimmed runtime may lack, and javac warns about every direct use.
 * Where it is missing the JVM's defaults stay (one signal stops gracefully; a second waits for the first).
 */
final class Signals {

    /** How long a last line (the second signal's, the lost log lines') may wait for its output. */
    private static final java.time.Duration SAY_AT_MOST = java.time.Duration.ofMillis(500);

    private Signals() {
    }

    /**
     * Everything a server command installs, before its first line (a script that reads the line may signal at once):
     * the stop handlers, and SIGHUP reloading the certificate of {@code setup} (whose files are also watched:
     * {@link TlsFileWatch}) or, without TLS, saying there is nothing to reload.
     *
     * @param setup  the command's TLS set-up, or null for none
     * @param server what reloads the certificate (used only with {@code setup})
     */
    static void forServer(String command, TlsOptions.Setup setup, TlsReload.Reloadable server,
                          Consumer<String> out, Consumer<String> err) {
        stopOnSecondSignalAtOnce(command, err);
        if (setup != null) {
            TlsFileWatch watch = TlsFileWatch.start(server, setup.source(), command, out, err, TlsFileWatch.EVERY);
            TlsReload.onHangup(() -> {
                watch.seen();
                server.reloadTls();
            }, setup.source(), command, out, err);
            return;
        }
        try {
            onHangup(() -> err.accept(command + ": SIGHUP: nothing to reload (no TLS certificate); still serving"));
        } catch (UnsupportedOperationException | LinkageError e) {
            // Ignored in this process (nohup), or not catchable: nothing to say, there is nothing to reload anyway.
        }
    }

    /**
     * Runs {@code say} (a last line on stdout or stderr) on a daemon thread of its own and waits for it at most
     * {@link #SAY_AT_MOST}: the output may be a pipe nobody reads, and a process on its way out must not wait on it.
     */
    static void sayBriefly(Runnable say) {
        Thread t = Thread.ofPlatform().daemon().start(say);
        try {
            t.join(SAY_AT_MOST);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // on the way out anyway
        }
    }

    /**
     * Installs the stop handlers: the first SIGINT or SIGTERM exits as the JVM's default handler does (running the
     * shutdown hooks), a later one prints {@code COMMAND: stopping now} on {@code err} and halts.
     */
    static void stopOnSecondSignalAtOnce(String command, Consumer<String> err) {
        AtomicInteger signals = new AtomicInteger();
        for (String name : new String[] {"INT", "TERM"}) {
            int status = 128 + ("INT".equals(name) ? 2 : 15);
            try {
                handle(name, () -> {
                    if (signals.getAndIncrement() == 0) {
                        System.exit(status); // as the JVM's own handler: the hooks stop the server gracefully
                    } else {
                        // The output may be what holds the server (a pipe nobody reads, its lock held by a writer
                        // blocked there), and this is the way out: said briefly or not at all.
                        sayBriefly(() -> {
                            err.accept(command + ": stopping now (a second signal), open connections cut");
                            System.out.flush();
                        });
                        Runtime.getRuntime().halt(status);
                    }
                });
            } catch (UnsupportedOperationException | LinkageError e) {
                // The JVM's default stays: a graceful stop on the first signal, which is what matters most.
            }
        }
    }

    /**
     * Installs {@code action} for SIGHUP.
     *
     * @throws UnsupportedOperationException if SIGHUP cannot be caught: no {@code sun.misc.Signal}, no such signal,
     *                                       or it is ignored in this process (as under {@code nohup})
     */
    static void onHangup(Runnable action) {
        handle("HUP", action);
    }

    /** {@code sun.misc.Signal.handle(new Signal(name), handler)}. */
    private static void handle(String name, Runnable action) {
        try {
            Class<?> signalClass = Class.forName("sun.misc.Signal");
            Class<?> handlerClass = Class.forName("sun.misc.SignalHandler");
            Object signal = signalClass.getConstructor(String.class).newInstance(name);
            Object handler = Proxy.newProxyInstance(handlerClass.getClassLoader(), new Class<?>[] {handlerClass},
                    (proxy, method, args) -> switch (method.getName()) {
                        case "handle" -> {
                            action.run();
                            yield null;
                        }
                        case "hashCode" -> System.identityHashCode(proxy);
                        case "equals" -> proxy == args[0];
                        default -> "porter SIG" + name + " handler";
                    });
            Object previous = signalClass.getMethod("handle", signalClass, handlerClass).invoke(null, signal, handler);
            // HotSpot installs nothing for a signal the process inherited as ignored (nohup does that for HUP, a
            // shell's background job for INT) and answers SIG_IGN without an error: the handler would never run.
            if (previous == handlerClass.getField("SIG_IGN").get(null)) {
                throw new UnsupportedOperationException("SIG" + name + " is ignored in this process, as under nohup");
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
