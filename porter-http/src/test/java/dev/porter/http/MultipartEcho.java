package dev.porter.http;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;

/**
 * The handlers the multipart tests send forms to, each answering with a line per part so that a test compares
 * text: {@code POST /parts} streams with {@link Multipart#parts} (a file as its size and SHA-256, a field as its
 * text); {@code POST /form} reads with {@link Multipart#form} into {@code dir} and also says whether the files are
 * gone after {@link FormData#close()}.
 */
final class MultipartEcho {

    private MultipartEcho() {
    }

    static Router router(Multipart.Limits limits, Path dir) {
        return new Router()
                .post("/parts", (req, res) -> {
                    StringBuilder sb = new StringBuilder();
                    MultipartReader reader = Multipart.parts(req, limits);
                    for (FormPart p; (p = reader.next()) != null; ) {
                        if (p.isFile()) {
                            sb.append("file ").append(p.name()).append(" [").append(p.fileName()).append("] ")
                                    .append(p.contentType()).append(' ').append(digest(p.body())).append('\n');
                        } else {
                            sb.append("field ").append(p.name()).append('=').append(p.text()).append('\n');
                        }
                    }
                    res.send(sb.toString());
                })
                .post("/form", (req, res) -> {
                    StringBuilder sb = new StringBuilder();
                    List<UploadedFile> files;
                    try (FormData form = Multipart.form(req, limits, dir)) {
                        form.fields().forEach((k, v) -> sb.append("field ").append(k).append('=').append(v).append('\n'));
                        files = form.files();
                        for (UploadedFile f : files) {
                            sb.append("file ").append(f.name()).append(" [").append(f.fileName()).append("] ")
                                    .append(f.contentType()).append(' ');
                            try (InputStream in = Files.newInputStream(f.path())) {
                                sb.append(digest(in)).append('\n');
                            }
                        }
                    }
                    for (UploadedFile f : files) {
                        if (Files.exists(f.path())) sb.append("left behind ").append(f.path()).append('\n');
                    }
                    res.send(sb.toString());
                });
    }

    /** @return "SIZE SHA256HEX" of what {@code in} holds */
    static String digest(InputStream in) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        byte[] buf = new byte[8192];
        long size = 0;
        for (int n; (n = in.read(buf)) >= 0; ) {
            sha.update(buf, 0, n);
            size += n;
        }
        return size + " " + HexFormat.of().formatHex(sha.digest());
    }

    /** @return "SIZE SHA256HEX" of {@code bytes} */
    static String digest(byte[] bytes) throws Exception {
        return digest(new java.io.ByteArrayInputStream(bytes));
    }
}
