package dev.porter.cli;

import dev.porter.http.Router;
import dev.porter.http.StaticFiles;

import java.io.IOException;
import java.nio.file.Path;

/** Mounts a folder on a router with the {@link StaticFiles} handler (default options). */
final class StaticMount {

    private StaticMount() {
    }

    /**
     * Serves the files of {@code dir} under {@code prefix} (GET and HEAD).
     *
     * @throws IOException if {@code dir} does not exist or is not a directory
     */
    static void mount(Router router, String prefix, Path dir) throws IOException {
        router.mount(prefix, StaticFiles.of(dir));
    }
}
