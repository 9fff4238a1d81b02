package dev.porter.cli;

import picocli.CommandLine;

/**
 * The version every {@code porter} command prints for {@code -V}/{@code --version}. One provider for all of them:
 * picocli gives each subcommand its own version text, so a subcommand without one answered {@code -V} with nothing.
 */
final class PorterVersion implements CommandLine.IVersionProvider {

    /** The version line. */
    static final String VERSION = "porter 0.1.0";

    @Override
    public String[] getVersion() {
        return new String[] {VERSION};
    }
}
