package dev.porter.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Who may use {@code porter serve} and what it prints about them (a picocli mixin): Basic authentication
 * ({@code --auth}, {@code --auth-file}, {@code --auth-writes-only}) and the access log's level and format.
 *
 * <p>Why {@code -o}/{@code --log-level}: jwebserver spells its levels {@code -o, --output none|info|verbose}, and
 * people coming from it type {@code -o}. In {@code porter get}, {@code -o} is curl's output file; {@code serve}
 * writes no file, so {@code -o} is free here and means what it means in jwebserver. The long name is
 * {@code --log-level}, not {@code --output}, so that the long forms of the two commands never disagree.
 */
final class ServeAccessOptions {

    /** The levels of {@code -o}, jwebserver's. */
    enum Level { NONE, INFO, VERBOSE }

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(names = "--auth", paramLabel = "USER:PASSWORD",
            description = "Require this user name and password (HTTP Basic; repeatable). Prefer --auth-file: a "
                    + "password on the command line shows in ps and the shell's history.")
    List<String> auth = new ArrayList<>();

    @Option(names = "--auth-file", paramLabel = "FILE",
            description = "Require a user of FILE: lines USER:pbkdf2-sha256:ITERATIONS:SALT:HASH, made with "
                    + "--hash-password USER.")
    Path authFile;

    @Option(names = "--auth-writes-only", description = "With --upload: ask for credentials for uploads only; reading stays open.")
    boolean writesOnly;

    @Option(names = "--hash-password", paramLabel = "USER",
            description = "Read a password on stdin, print an --auth-file line for USER, and exit.")
    String hashPasswordFor;

    @Option(names = {"-o", "--log-level"}, paramLabel = "LEVEL",
            description = "none, info (one line per request, the default) or verbose (also the header fields), as "
                    + "jwebserver's -o.")
    String level;

    @Option(names = "--log-format", paramLabel = "FORMAT",
            description = "common (the default), combined (plus referer and user agent) or json (one object per line).")
    String format;

    @Option(names = {"-q", "--quiet"}, description = "Do not print a line per request (-o none).")
    boolean quiet;

    Level level() {
        if (quiet) return Level.NONE;
        if (level == null) return Level.INFO;
        try {
            return Level.valueOf(level.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "-o/--log-level takes none, info or verbose: " + level);
        }
    }

    ServeLog.Format format() {
        if (format == null) return ServeLog.Format.COMMON;
        try {
            return ServeLog.Format.valueOf(format.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--log-format takes common, combined or json: " + format);
        }
    }

    /** @return true if requests need credentials */
    boolean enabled() {
        return !auth.isEmpty() || authFile != null;
    }

    /** @throws ParameterException (exit 2) for a malformed --auth, or --auth-writes-only without what it needs */
    void check(boolean uploads) {
        level();
        format();
        for (String a : auth) {
            if (a.indexOf(':') <= 0) throw new ParameterException(spec.commandLine(), "--auth takes USER:PASSWORD: " + a);
        }
        if (writesOnly && !enabled()) throw new ParameterException(spec.commandLine(), "--auth-writes-only needs --auth or --auth-file");
        if (writesOnly && !uploads) throw new ParameterException(spec.commandLine(), "--auth-writes-only needs --upload");
    }

    /**
     * @return the users of {@code --auth} and {@code --auth-file}
     * @throws IllegalArgumentException with a one-line reason for an unreadable or malformed file
     */
    Map<String, BasicAuth.Secret> users() {
        Map<String, BasicAuth.Secret> users = new LinkedHashMap<>();
        for (String a : auth) {
            int colon = a.indexOf(':');
            users.put(a.substring(0, colon), BasicAuth.plain(a.substring(colon + 1)));
        }
        if (authFile != null) {
            List<String> lines;
            try {
                lines = Files.readAllLines(authFile, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read " + authFile + ": " + FileErrors.reason(e));
            }
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i).strip();
                if (line.isEmpty() || line.startsWith("#")) continue;
                int colon = line.indexOf(':');
                try {
                    if (colon <= 0) throw new IllegalArgumentException("expected USER:" + PasswordHash.SCHEME + ":...");
                    users.put(line.substring(0, colon), new BasicAuth.Hashed(PasswordHash.parse(line.substring(colon + 1))));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(authFile + " line " + (i + 1) + ": " + e.getMessage());
                }
            }
            if (users.isEmpty()) throw new IllegalArgumentException(authFile + " holds no user");
        }
        return users;
    }
}
