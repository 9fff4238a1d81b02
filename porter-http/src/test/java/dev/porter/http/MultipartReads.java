package dev.porter.http;

import dev.porter.http.internal.multipart.MultipartParser;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

/**
 * Reads a body with {@link MultipartReader} from a stream that hands it out in random pieces, each part's body read
 * in random sizes (single bytes among them), and with the push {@link MultipartParser} fed whole, so that a test
 * compares the two: the same parts with the same bytes, or a refusal with the same status.
 */
final class MultipartReads {

    /**
     * What a read ended with: each part read to its end ("name|fileName|type|hex"), the refusal's status or 0, and
     * whether a {@code _charset_} field started (finished or not).
     */
    record Outcome(List<String> parts, int refusal, boolean charsetField) {
    }

    private MultipartReads() {
    }

    static Outcome pull(byte[] body, String boundary, Multipart.Limits limits, long seed) {
        Random random = new Random(seed);
        InputStream in = new ByteArrayInputStream(body) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, 1 + random.nextInt(300)));
            }
        };
        MultipartReader reader = new MultipartReader(in, boundary, limits);
        List<String> parts = new ArrayList<>();
        try {
            for (FormPart p; (p = reader.next()) != null; ) {
                if (random.nextInt(8) == 0) continue; // left unread: next() skips it
                ByteArrayOutputStream data = new ByteArrayOutputStream();
                InputStream b = p.body();
                byte[] buf = new byte[1 + random.nextInt(500)];
                while (true) {
                    int n;
                    if (random.nextBoolean()) {
                        int c = b.read();
                        if (c < 0) break;
                        data.write(c);
                    } else {
                        if ((n = b.read(buf, 0, 1 + random.nextInt(buf.length))) < 0) break;
                        data.write(buf, 0, n);
                    }
                }
                parts.add(describe(p.name(), p.fileName(), p.headers().first("Content-Type"), data.toByteArray()));
            }
            return new Outcome(parts, 0, false);
        } catch (HttpException e) {
            return new Outcome(parts, e.status().code(), false);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** The push parser's view; parts the pull reader skipped are not told apart, so it is compared without them. */
    static Outcome push(byte[] body, String boundary, Multipart.Limits limits) {
        List<String> parts = new ArrayList<>();
        boolean[] charset = {false};
        ByteArrayOutputStream[] data = {null};
        MultipartParser.Part[] current = {null};
        MultipartParser parser = new MultipartParser(boundary, limits.maxParts(), limits.maxPartHeaderBytes(), new MultipartParser.Sink() {
            @Override
            public void partStart(MultipartParser.Part part) {
                current[0] = part;
                if (part.name().equals("_charset_") && part.fileName() == null) charset[0] = true;
                data[0] = new ByteArrayOutputStream();
            }

            @Override
            public void partData(byte[] b, int off, int len) {
                data[0].write(b, off, len);
            }

            @Override
            public void partEnd() {
                MultipartParser.Part p = current[0];
                parts.add(describe(p.name(), p.fileName(), p.contentType(), data[0].toByteArray()));
            }
        });
        try {
            parser.feed(body, 0, body.length);
            parser.finish();
            return new Outcome(parts, 0, charset[0]);
        } catch (HttpException e) {
            return new Outcome(parts, e.status().code(), charset[0]);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    static String describe(String name, String fileName, String type, byte[] data) {
        return name + "|" + fileName + "|" + type + "|" + HexFormat.of().formatHex(data);
    }
}
