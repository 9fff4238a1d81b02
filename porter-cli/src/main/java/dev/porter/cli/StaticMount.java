package dev.porter.cli;

import dev.porter.http.Router;

import java.nio.file.Path;

/** Mounts a folder on a router; replaced by the StaticFiles handler when it lands. */
final class StaticMount {

    private StaticMount() {
    }

    static void mount(Router router, String prefix, Path dir) {
        throw new UnsupportedOperationException("static files are not available yet");
    }
}
