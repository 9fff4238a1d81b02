package dev.porter.http.internal.multipart;

import dev.porter.http.HttpException;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Feeds a body to {@link MultipartParser} whole, byte by byte or in random pieces, and records what it reported. */
final class MultipartFeeds {

    private MultipartFeeds() {
    }

    /** One part as the sink saw it. */
    record Seen(MultipartParser.Part part, byte[] data) {
    }

    /** What a parse ended with: the parts seen, and the refusal (null if the body was accepted). */
    record Outcome(List<Seen> parts, String refusal) {
        boolean accepted() {
            return refusal == null;
        }

        /** A comparable text of the whole outcome, data included. */
        String describe() {
            StringBuilder sb = new StringBuilder();
            for (Seen s : parts) {
                sb.append(s.part()).append('=').append(java.util.HexFormat.of().formatHex(s.data())).append('\n');
            }
            return sb.append("refusal=").append(refusal).toString();
        }
    }

    /** How the body is cut into calls to {@link MultipartParser#feed}. */
    enum Mode { WHOLE, BYTE_BY_BYTE, RANDOM }

    static Outcome parse(byte[] body, String boundary, Mode mode, long seed) {
        List<Seen> parts = new ArrayList<>();
        ByteArrayOutputStream[] current = {null};
        MultipartParser.Part[] part = {null};
        MultipartParser parser = new MultipartParser(boundary, new MultipartParser.Sink() {
            @Override
            public void partStart(MultipartParser.Part p) {
                if (current[0] != null) throw new AssertionError("part started inside a part");
                current[0] = new ByteArrayOutputStream();
                part[0] = p;
            }

            @Override
            public void partData(byte[] b, int off, int len) {
                if (current[0] == null) throw new AssertionError("data outside a part");
                if (len <= 0) throw new AssertionError("empty data call");
                current[0].write(b, off, len);
            }

            @Override
            public void partEnd() {
                parts.add(new Seen(part[0], current[0].toByteArray()));
                current[0] = null;
            }
        });
        try {
            Random random = new Random(seed);
            int i = 0;
            while (i < body.length) {
                int n = switch (mode) {
                    case WHOLE -> body.length;
                    case BYTE_BY_BYTE -> 1;
                    case RANDOM -> 1 + random.nextInt(Math.min(body.length - i, 97));
                };
                n = Math.min(n, body.length - i);
                // A copy of exactly the piece: the parser must never read outside what it was given.
                byte[] piece = java.util.Arrays.copyOfRange(body, i, i + n);
                parser.feed(piece, 0, n);
                i += n;
            }
            parser.finish();
            return new Outcome(parts, null);
        } catch (HttpException e) {
            return new Outcome(parts, e.status().code() + " " + e.getMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
