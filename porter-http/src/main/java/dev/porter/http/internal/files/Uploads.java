package dev.porter.http.internal.files;

import dev.porter.http.Headers;
import dev.porter.http.HttpException;
import dev.porter.http.Request;
import dev.porter.http.Response;
import dev.porter.http.Status;
import dev.porter.http.internal.Targets;
import dev.porter.http.internal.multipart.MultipartParser;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes uploads under a static-file root: {@code PUT /dir/name} stores the body as that file (RFC 9110 §9.3.4:
 * 201 when created, 204 when replaced), and {@code POST /dir/} with a {@code multipart/form-data} body (the
 * listing's form, {@code curl -F}) stores each file part in that folder and answers 303 back to it. Bodies are
 * streamed through a 16 KiB buffer into a {@link StoredFile} (temporary file, then an atomic rename).
 *
 * <p>Names are checked before anything is written: each must be one plain name (not {@code .} or {@code ..}, no
 * {@code /} or {@code \}, no control character, at most 255 bytes), and a name starting with a dot is refused (403)
 * unless dotfiles are served. Folders on the way must exist (409) unless creating them is allowed, and each must
 * resolve inside the root ({@link PathMapper#confine}); a link leading out answers 404 as it does for a GET.
 * Immutable and thread-safe.
 */
public final class Uploads {

    /**
     * @param maxBytes  largest file, in bytes (larger: 413)
     * @param overwrite replace existing files (else 409)
     * @param mkdir     create missing folders, and accept the listing's "new folder" form
     * @param dotfiles  accept names starting with a dot
     */
    public record Config(long maxBytes, boolean overwrite, boolean mkdir, boolean dotfiles) {
    }

    private static final int BUFFER = 16 * 1024;
    /** Longest value of a form's plain field that is read (the folder name of "mkdir"). */
    private static final int MAX_FIELD = 1024;
    /** What a form may hold beyond its files: boundaries, part headers, small fields. */
    static final long FORM_OVERHEAD = 64 * 1024;

    private final Config config;
    private final PathMapper mapper;
    private final OpenFiles openFiles;

    /** @param openFiles the handler's open-file cache, told of every stored file so a GET sees it at once */
    public Uploads(Config config, PathMapper mapper, OpenFiles openFiles) {
        this.config = config;
        this.mapper = mapper;
        this.openFiles = openFiles;
    }

    /** Stores the body of a PUT as the file {@code relative} (a raw path relative to the root). */
    public void put(Request request, Response response, String relative) throws IOException {
        List<String> names = new ArrayList<>();
        int i = 0;
        while (i <= relative.length()) {
            int end = relative.indexOf('/', i);
            if (end < 0) end = relative.length();
            if (end > i) {
                String name = Targets.decode(relative.substring(i, end), false);
                if (name == null) throw new HttpException(Status.BAD_REQUEST, "malformed percent-encoding in path");
                names.add(name);
            }
            i = end + 1;
        }
        if (names.isEmpty() || relative.endsWith("/")) {
            throw new HttpException(Status.METHOD_NOT_ALLOWED, "PUT names a file; to upload into a folder, POST a form");
        }
        for (String n : names) checkName(n);
        mapper.map(relative); // a second line of defence: the GET rules must hold too
        if (request.contentLength() > config.maxBytes()) throw tooLarge();
        Path folder = folder(mapper.root(), names.subList(0, names.size() - 1));
        Path target = folder.resolve(names.get(names.size() - 1));
        boolean existed = Files.exists(target, LinkOption.NOFOLLOW_LINKS);
        if (!preconditionsHold(request, target, existed)) {
            response.send(Status.PRECONDITION_FAILED, "Precondition Failed\n");
            return;
        }
        try (StoredFile file = new StoredFile(target, config.maxBytes(), config.overwrite())) {
            InputStream in = request.body();
            byte[] buf = new byte[BUFFER];
            for (int n; (n = in.read(buf)) > 0; ) file.write(buf, 0, n);
            file.commit();
        }
        openFiles.forget(target);
        if (existed) {
            response.status(Status.NO_CONTENT);
            response.send(new byte[0]);
        } else {
            response.status(Status.CREATED);
            response.setHeader("Location", request.rawPath());
            response.send("Created " + request.path() + "\n");
        }
    }

    /**
     * RFC 9110 §13.2.2: If-Match, If-Unmodified-Since and If-None-Match are evaluated before the file is replaced,
     * against the validators a GET of it carries, so a client that read one version never overwrites another.
     *
     * @return false if one fails (the answer is then 412)
     */
    private static boolean preconditionsHold(Request request, Path target, boolean existed) throws IOException {
        Headers h = request.headers();
        if (!h.contains("If-Match") && !h.contains("If-None-Match") && !h.contains("If-Unmodified-Since")) return true;
        Conditionals.Validators current = null;
        if (existed) {
            BasicFileAttributes a = Files.readAttributes(target, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (a.isRegularFile()) current = FileChoice.Variant.of(target, a, null).validators();
        }
        long now = System.currentTimeMillis() / 1000;
        return Conditionals.evaluateForWrite(h, current, now) == Conditionals.Outcome.PROCEED;
    }

    /** Stores the files of a {@code multipart/form-data} POST in {@code folder} (real, inside the root). */
    public void post(Request request, Response response, Path folder) throws IOException {
        String boundary = MultipartParser.requireBoundary(request.header("Content-Type"),
                "uploads are multipart/form-data (or a PUT of the file)");
        // Room for the parts' headers and the small fields; saturating, since the limit may be Long.MAX_VALUE.
        long most = config.maxBytes() > Long.MAX_VALUE - FORM_OVERHEAD ? Long.MAX_VALUE : config.maxBytes() + FORM_OVERHEAD;
        if (request.contentLength() > most) throw tooLarge();
        Form form = new Form(folder);
        MultipartParser parser = new MultipartParser(boundary, form);
        try {
            InputStream in = request.body();
            byte[] buf = new byte[BUFFER];
            long total = 0;
            for (int n; (n = in.read(buf)) > 0; ) {
                // A form sent without a length (chunked) is bounded as a whole too, not only file by file: many files
                // under the limit each must not add up past it (the server's body limit may be out of the way).
                total += n;
                if (total > most) throw tooLarge();
                parser.feed(buf, 0, n);
            }
            parser.finish();
        } finally {
            form.abort();
        }
        String query = request.rawQuery();
        String location = request.rawPath() + (query == null ? "" : "?" + query);
        response.status(Status.SEE_OTHER);
        int slashes = 0;
        while (slashes < location.length() && location.charAt(slashes) == '/') slashes++;
        // One leading slash: "//host/" would send the browser to another host.
        response.setHeader("Location", "/" + location.substring(slashes));
        StringBuilder body = new StringBuilder();
        for (String s : form.saved) body.append("Saved ").append(s).append('\n');
        for (String s : form.created) body.append("Created folder ").append(s).append('\n');
        response.send(body.toString());
    }

    /** The sink of a form: file parts become {@link StoredFile}s, a "mkdir" field a folder, other fields are skipped. */
    private final class Form implements MultipartParser.Sink {
        private final Path folder;
        final List<String> saved = new ArrayList<>();
        final List<String> created = new ArrayList<>();
        private StoredFile file;
        private String fileName;
        private StringBuilder field;

        Form(Path folder) {
            this.folder = folder;
        }

        @Override
        public void partStart(MultipartParser.Part part) throws IOException {
            if (part.fileName() != null) {
                // A file input left empty is sent as a part with an empty file name and no data.
                if (part.fileName().isEmpty()) return;
                // A folder chosen with webkitdirectory sends relative paths ("photos/a.jpg").
                List<String> names = split(part.fileName());
                for (String n : names) checkName(n);
                Path dir = folder(folder, names.subList(0, names.size() - 1));
                fileName = part.fileName();
                file = new StoredFile(dir.resolve(names.get(names.size() - 1)), config.maxBytes(), config.overwrite());
            } else if (part.name().equals("mkdir")) {
                if (!config.mkdir()) throw new HttpException(Status.FORBIDDEN, "creating folders is off");
                field = new StringBuilder();
            }
        }

        @Override
        public void partData(byte[] b, int off, int len) throws IOException {
            if (file != null) {
                file.write(b, off, len);
            } else if (field != null) {
                if (field.length() + len > MAX_FIELD) throw new HttpException(Status.BAD_REQUEST, "folder name too long");
                field.append(new String(b, off, len, StandardCharsets.UTF_8));
            }
        }

        @Override
        public void partEnd() throws IOException {
            if (file != null) {
                file.commit();
                file.close();
                openFiles.forget(file.target());
                file = null;
                saved.add(fileName);
            } else if (field != null) {
                String name = field.toString().strip();
                field = null;
                checkName(name);
                Path dir = folder.resolve(name);
                try {
                    Files.createDirectory(dir);
                } catch (FileAlreadyExistsException e) {
                    throw new HttpException(Status.CONFLICT, "a file or folder with that name exists");
                } catch (IOException e) {
                    throw StoredFile.storage(e);
                }
                created.add(name);
            }
        }

        /** Deletes the file being written, if the body ended or failed inside it. */
        void abort() throws IOException {
            if (file != null) file.close();
        }
    }

    /**
     * @return the real folder reached from {@code base} through {@code names}, each created first when missing
     *         and allowed
     * @throws HttpException 409 for a missing folder (not created) or a name that is a file, 404 for one leading out
     */
    private Path folder(Path base, List<String> names) throws IOException {
        Path p = base;
        for (String n : names) {
            Path next = p.resolve(n);
            if (!Files.exists(next)) {
                if (!config.mkdir()) throw new HttpException(Status.CONFLICT, "no folder " + n + " (creating folders is off)");
                try {
                    Files.createDirectory(next);
                } catch (FileAlreadyExistsException e) {
                    // made meanwhile by another upload: fine
                } catch (IOException e) {
                    throw StoredFile.storage(e);
                }
            }
            Path real = mapper.confine(next);
            if (real == null) throw new HttpException(Status.NOT_FOUND);
            if (!Files.isDirectory(real)) throw new HttpException(Status.CONFLICT, n + " is a file, not a folder");
            p = real;
        }
        return p;
    }

    /** @return {@code path} split on {@code /}, empty names kept (so that they are refused) */
    private static List<String> split(String path) {
        List<String> names = new ArrayList<>();
        int i = 0;
        while (true) {
            int end = path.indexOf('/', i);
            if (end < 0) {
                names.add(path.substring(i));
                return names;
            }
            names.add(path.substring(i, end));
            i = end + 1;
        }
    }

    /** @throws HttpException 400 for a name that cannot be one file's name, 403 for a dotfile not allowed */
    void checkName(String name) {
        if (name.isEmpty() || name.equals(".") || name.equals("..")) {
            throw new HttpException(Status.BAD_REQUEST, "not a file name: '" + name + "'");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '/' || c == '\\' || c < 0x20 || c == 0x7F) {
                throw new HttpException(Status.BAD_REQUEST, "a file name holds a slash, backslash or control character");
            }
        }
        if (name.getBytes(StandardCharsets.UTF_8).length > 255) throw new HttpException(Status.BAD_REQUEST, "file name too long");
        if (name.startsWith(".") && !config.dotfiles()) {
            throw new HttpException(Status.FORBIDDEN, "names starting with a dot are not accepted");
        }
    }

    private HttpException tooLarge() {
        return new HttpException(Status.CONTENT_TOO_LARGE, "upload larger than the limit of " + config.maxBytes() + " bytes");
    }
}
