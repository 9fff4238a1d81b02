package dev.porter.examples;

import dev.porter.http.FormPart;
import dev.porter.http.Multipart;
import dev.porter.http.MultipartReader;
import dev.porter.http.Request;
import dev.porter.http.Response;
import dev.porter.http.Router;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.UUID;

/**
 * An upload form as a web app has one, on {@link Multipart}'s streaming reader:
 * <ul>
 *   <li>{@code GET /}: an HTML page with a form ({@code enctype="multipart/form-data"}): a note and files</li>
 *   <li>{@code POST /upload}: each file goes straight from the connection to the folder, whatever its size (up to
 *       the server's body limit), under a fresh name ({@code <uuid>.upload}: the name the browser sent is shown,
 *       never used as a path); the answer, as text, lists the note and each file with its stored name</li>
 * </ul>
 * A malformed form is answered 400, a body that is not a form 415 ({@link dev.porter.http.HttpException} from the
 * reader, left to propagate). A file half-written when the body fails is deleted.
 */
public final class FormUpload {

    private static final String PAGE = """
            <!doctype html>
            <meta charset="utf-8">
            <title>Upload</title>
            <form method="post" action="/upload" enctype="multipart/form-data">
              <p><label>Note <input name="note"></label></p>
              <p><input type="file" name="files" multiple></p>
              <p><button>Upload</button></p>
            </form>
            """;

    private FormUpload() {
    }

    /** @return the form's routes, files stored in {@code folder} (which must exist) */
    public static Router router(Path folder) {
        return new Router()
                .get("/", (req, res) -> res.contentType("text/html; charset=utf-8").send(PAGE))
                .post("/upload", (req, res) -> upload(req, res, folder));
    }

    private static void upload(Request req, Response res, Path folder) throws IOException {
        StringBuilder answer = new StringBuilder();
        MultipartReader form = Multipart.parts(req);
        for (FormPart part; (part = form.next()) != null; ) {
            if (!part.isFile()) {
                answer.append(part.name()).append(": ").append(part.text()).append('\n');
            } else if (!part.fileName().isEmpty()) { // an empty file input sends a part with no name and no data
                Path stored = folder.resolve(UUID.randomUUID() + ".upload");
                long size = store(part.body(), stored);
                answer.append("saved ").append(part.fileName()).append(" (").append(part.contentType()).append(", ")
                        .append(size).append(" bytes) as ").append(stored.getFileName()).append('\n');
            }
        }
        res.contentType("text/plain; charset=utf-8").send(answer.toString());
    }

    /** Copies {@code in} to {@code file}, deleting the file if the copy fails (a client that left, a bad form). */
    private static long store(InputStream in, Path file) throws IOException {
        Path partial = file.resolveSibling(file.getFileName() + ".part");
        try {
            long size = Files.copy(in, partial);
            Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE);
            return size;
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(partial);
            throw e;
        }
    }
}
