package dev.porter.http;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * A whole {@code multipart/form-data} body as {@link Multipart#form} read it: the text fields, and the files
 * written to disk. {@link #close()} deletes the files still where they were written, so use it in
 * try-with-resources and move a file elsewhere to keep it. The lists and maps are unmodifiable, in the order the
 * parts came; a name given several times keeps every value. Safe to read from any thread once made.
 */
public final class FormData implements AutoCloseable {

    private final Map<String, List<String>> fields;
    private final List<UploadedFile> files;

    FormData(Map<String, List<String>> fields, List<UploadedFile> files) {
        fields.replaceAll((k, v) -> List.copyOf(v));
        this.fields = Collections.unmodifiableMap(fields);
        this.files = List.copyOf(files);
    }

    /** @return every text field (a part without a file name), name to values */
    public Map<String, List<String>> fields() {
        return fields;
    }

    /** @return the first value of text field {@code name}, or null */
    public String field(String name) {
        List<String> v = fields.get(name);
        return v == null ? null : v.get(0);
    }

    /** @return every value of text field {@code name} (empty if none) */
    public List<String> fields(String name) {
        return fields.getOrDefault(name, List.of());
    }

    /** @return every file, in order */
    public List<UploadedFile> files() {
        return files;
    }

    /** @return the first file of field {@code name}, or null */
    public UploadedFile file(String name) {
        for (UploadedFile f : files) {
            if (f.name().equals(name)) return f;
        }
        return null;
    }

    /** @return every file of field {@code name} ({@code <input type=file multiple>}), in order */
    public List<UploadedFile> files(String name) {
        return files.stream().filter(f -> f.name().equals(name)).toList();
    }

    /**
     * Deletes the files still at their {@link UploadedFile#path()}; those moved away are not touched. Idempotent.
     *
     * @throws UncheckedIOException if one could not be deleted (the others are deleted still)
     */
    @Override
    public void close() {
        delete(files, null);
    }

    /** Deletes every file it can; the first failure is thrown, or added to {@code pending} when there is one. */
    static void delete(List<UploadedFile> files, Throwable pending) {
        IOException failure = null;
        for (UploadedFile f : files) {
            try {
                Files.deleteIfExists(f.path());
            } catch (IOException e) {
                if (failure == null) failure = e;
                else failure.addSuppressed(e);
            }
        }
        if (failure == null) return;
        if (pending != null) pending.addSuppressed(failure);
        else throw new UncheckedIOException("could not delete an uploaded file", failure);
    }
}
