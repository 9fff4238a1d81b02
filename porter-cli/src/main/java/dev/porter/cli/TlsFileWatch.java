package dev.porter.cli;

import dev.porter.core.KeySource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The server commands' check of their certificate and key files: every {@link #EVERY}, when a file changed since
 * the last look (size, modification time or identity, as the core's own check compares them), the certificate is
 * reloaded through {@link TlsReload#reload}, which tells the outcome as SIGHUP does: {@code TLS certificate
 * reloaded: SHA-256 …} on stdout, or one line on stderr and the old certificate kept.
 *
 * <p>Fix (found by {@code TlsServerCommandsTest#aCertificateFileRewrittenWithoutSighup…}; docs/serve.md: "broken
 * new files are one line on stderr"): the CLI used to leave this check to the core ({@code TlsConfig.reloadCheck}),
 * which can only log; a broken rewrite then reached the user as two lines of {@code java.util.logging} naming an
 * internal class ({@code … dev.porter.core.internal.TlsAcceptor maybeReload} / {@code WARNING: TLS certificates not
 * reloaded …}), and a good one as {@code INFO: TLS certificates reloaded}, without the fingerprint, and only once a
 * new connection came. The commands now turn the core's check off ({@link TlsOptions#setup()}) and run this one.
 *
 * <p>A failed attempt is not retried until the files change again, so a broken file is told once. Thread-safe: the
 * check runs on a daemon platform thread of its own, {@link #seen()} on SIGHUP's.
 */
final class TlsFileWatch implements AutoCloseable {

    /** How often the files are looked at (docs/tls.md: "checked every 10 s"). */
    static final Duration EVERY = Duration.ofSeconds(10);

    /** A file as {@code stat} saw it; a missing or unreadable one has a negative size. */
    private record Stamp(long size, FileTime modified, Object fileKey) {
    }

    private final List<Path> files;
    private final Runnable reload;
    private final Thread thread;
    /** The stamps read before the last load (at start, by a check or by SIGHUP); guarded by {@code this}. */
    private List<Stamp> last;

    private TlsFileWatch(List<Path> files, Runnable reload, Duration every) {
        this.files = List.copyOf(files);
        this.reload = reload;
        this.last = stamps();
        this.thread = Thread.ofPlatform().daemon().name("porter-tls-watch").unstarted(() -> run(every));
    }

    /**
     * Starts watching the files of {@code source}, which the server has just loaded.
     *
     * @return the watch; {@link #close()} ends it (a server command's process ends it by exiting)
     */
    static TlsFileWatch start(TlsReload.Reloadable server, KeySource source, String command, Consumer<String> out,
                              Consumer<String> err, Duration every) {
        TlsFileWatch w = new TlsFileWatch(source.files(), () -> TlsReload.reload(server, source, command, out, err), every);
        w.thread.start();
        return w;
    }

    private void run(Duration every) {
        try {
            while (true) {
                Thread.sleep(every);
                check();
            }
        } catch (InterruptedException e) {
            // Closed.
        }
    }

    /** Reloads if a file changed since the last look. @return true if it tried (and told the outcome) */
    synchronized boolean check() {
        List<Stamp> now = stamps();
        if (now.equals(last)) return false;
        // The stamps are read before the files: a write during the load is seen at the next check.
        last = now;
        reload.run();
        return true;
    }

    /** Records the files as they are now: SIGHUP is about to load them, and the check need not again. */
    synchronized void seen() {
        last = stamps();
    }

    private List<Stamp> stamps() {
        List<Stamp> stamps = new ArrayList<>(files.size());
        for (Path f : files) {
            try {
                // Follows symbolic links: certbot's live/ names link to the newest archive/ files.
                BasicFileAttributes a = Files.readAttributes(f, BasicFileAttributes.class);
                stamps.add(new Stamp(a.size(), a.lastModifiedTime(), a.fileKey()));
            } catch (IOException e) {
                stamps.add(new Stamp(-1, null, null)); // the load that follows says what is wrong with it
            }
        }
        return stamps;
    }

    @Override
    public void close() {
        thread.interrupt();
    }
}
