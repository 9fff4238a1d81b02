package dev.porter.cli;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Why a file could not be read or written, in a few words for the end of a line such as
 * {@code cannot read /missing: no such file}. The JDK's messages for its file exceptions are often only the path,
 * which the line already names.
 */
final class FileErrors {

    private FileErrors() {
    }

    /** @return the reason {@code e} happened: "no such file", "no such directory", "permission denied", ... */
    static String reason(IOException e) {
        return switch (e) {
            case NoSuchFileException x -> missing(x.getFile());
            case AccessDeniedException x -> "permission denied";
            case NotDirectoryException x -> "not a directory";
            case FileSystemException x when x.getReason() != null -> lowerFirst(x.getReason());
            // Reading a directory, a full disk: the operating system's words, without the path.
            default -> e.getMessage() == null || e.getMessage().isBlank() ? e.getClass().getSimpleName() : lowerFirst(e.getMessage());
        };
    }

    /** A missing file whose folder is missing too is told apart: the folder is what to create. */
    private static String missing(String file) {
        if (file == null) return "no such file";
        Path parent = Path.of(file).toAbsolutePath().getParent();
        return parent != null && !Files.isDirectory(parent) ? "no such directory" : "no such file";
    }

    /** "Is a directory" (the operating system's words) reads as "cannot read x: is a directory". */
    private static String lowerFirst(String s) {
        return s.isEmpty() ? s : s.substring(0, 1).toLowerCase(Locale.ROOT) + s.substring(1);
    }
}
