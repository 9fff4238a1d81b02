package dev.porter.http;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link MultipartReader}, the pull side over the push parser: however the body arrives and however the parts are
 * read, each part's bytes are the parser's; a part's stream is dead once the next part is asked for.
 */
class MultipartReaderTest {

    static final String B = "----WebKitFormBoundaryQ2f";

    static byte[] form(Random r, int parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < parts; i++) {
            byte[] data = new byte[r.nextInt(i % 3 == 0 ? 40_000 : 300)];
            r.nextBytes(data);
            // Delimiter prefixes inside the data: the bytes the matcher holds back and gives back.
            for (int k = 0; k + 20 < data.length; k += 1 + r.nextInt(400)) {
                System.arraycopy(("\r\n--" + B).getBytes(StandardCharsets.US_ASCII), 0, data, k, 2 + r.nextInt(14));
            }
            String head = i % 2 == 0 ? "Content-Disposition: form-data; name=\"f" + i + "\"; filename=\"f" + i + ".bin\"\r\n"
                    + "Content-Type: application/octet-stream\r\n" : "Content-Disposition: form-data; name=\"t" + i + "\"\r\n";
            out.writeBytes(("--" + B + "\r\n" + head + "\r\n").getBytes(StandardCharsets.UTF_8));
            out.writeBytes(data);
            out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        out.writeBytes(("--" + B + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    @Test
    void everyPartComesOutAsTheParserSawItHoweverTheBodyArrivesAndIsRead() {
        Random r = new Random(21);
        for (int round = 0; round < 60; round++) {
            byte[] body = form(r, 1 + r.nextInt(6));
            MultipartReads.Outcome push = MultipartReads.push(body, B, Multipart.Limits.DEFAULTS);
            assertThat(push.refusal()).isZero();
            MultipartReads.Outcome pull = MultipartReads.pull(body, B, Multipart.Limits.DEFAULTS, round);
            assertThat(pull.refusal()).isZero();
            assertThat(push.parts()).containsAll(pull.parts());
        }
    }

    @Test
    void aTruncatedBodyIsRefusedInsideThePartItCuts() throws Exception {
        byte[] body = form(new Random(5), 3);
        byte[] cut = java.util.Arrays.copyOf(body, body.length - 10);
        MultipartReader reader = new MultipartReader(new ByteArrayInputStream(cut), B, Multipart.Limits.DEFAULTS);
        reader.next().body().readAllBytes();
        reader.next().body().readAllBytes();
        InputStream last = reader.next().body();
        assertThatThrownBy(last::readAllBytes).isInstanceOfSatisfying(HttpException.class,
                e -> assertThat(e.status().code()).isEqualTo(400));
    }

    @Test
    void aPartsBodyIsDeadOnceTheNextPartIsAskedForAndTheEndStaysTheEnd() throws Exception {
        byte[] body = form(new Random(9), 2);
        MultipartReader reader = new MultipartReader(new ByteArrayInputStream(body), B, Multipart.Limits.DEFAULTS);
        FormPart first = reader.next();
        assertThat(first.body().read()).isNotNegative();
        FormPart second = reader.next(); // skips the rest of the first
        assertThat(second.name()).isEqualTo("t1");
        assertThatThrownBy(() -> first.body().read()).isInstanceOf(IllegalStateException.class);
        assertThat(first.name()).isEqualTo("f0");
        assertThat(reader.next()).isNull();
        assertThat(reader.next()).isNull();
        assertThatThrownBy(() -> second.body().read()).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aFormWithNoPartIsEmptyAndOneWithNothingIs400() throws Exception {
        MultipartReader empty = new MultipartReader(new ByteArrayInputStream(("--" + B + "--").getBytes(StandardCharsets.US_ASCII)),
                B, Multipart.Limits.DEFAULTS);
        assertThat(empty.next()).isNull();
        MultipartReader nothing = new MultipartReader(new ByteArrayInputStream(new byte[0]), B, Multipart.Limits.DEFAULTS);
        assertThatThrownBy(nothing::next).isInstanceOfSatisfying(HttpException.class,
                e -> assertThat(e.status().code()).isEqualTo(400));
    }

    @Test
    void limitsRefuseBadValues() {
        assertThatThrownBy(() -> Multipart.Limits.DEFAULTS.withMaxParts(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Multipart.Limits.DEFAULTS.withMaxPartHeaderBytes(63)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Multipart.Limits.DEFAULTS.withMaxFieldBytes(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThat(Multipart.Limits.DEFAULTS.withMaxFieldBytes(0).maxFieldBytes()).isZero();
    }
}
