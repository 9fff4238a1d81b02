package dev.porter.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The request body of {@code porter get -d}: the values joined with {@code &}, as curl joins them. */
final class RequestData {

    private RequestData() {
    }

    /**
     * @param values the {@code -d} values in order; {@code @FILE} stands for the file's bytes, {@code @-} for
     *               standard input's (as curl reads it)
     * @param stdin  standard input
     * @return the body
     * @throws GetFailure ({@link ExitCode#READ_ERROR}) if a file cannot be read
     */
    static byte[] join(List<String> values, InputStream stdin) throws GetFailure {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (int i = 0; i < values.size(); i++) {
            String d = values.get(i);
            if (i > 0) body.write('&');
            if (d.equals("@-")) {
                try {
                    body.writeBytes(stdin.readAllBytes());
                } catch (IOException e) {
                    throw new GetFailure(ExitCode.READ_ERROR, "cannot read standard input: " + FileErrors.reason(e));
                }
            } else if (d.startsWith("@")) {
                try {
                    body.writeBytes(Files.readAllBytes(Path.of(d.substring(1))));
                } catch (IOException e) {
                    throw new GetFailure(ExitCode.READ_ERROR, "cannot read " + d.substring(1) + ": " + FileErrors.reason(e));
                }
            } else {
                body.writeBytes(d.getBytes(StandardCharsets.UTF_8));
            }
        }
        return body.toByteArray();
    }
}
