package dev.porter.http.internal.h2;

import dev.porter.http.Headers;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link ResponseHead} and the encoder's shortcuts for it ({@link HpackEncoder#status},
 * {@link HpackEncoder#contentLength}): the same bytes as the general {@link HpackEncoder#field} path, the same
 * fields after decoding as the head a handler set (RFC 9113 §8.2.1 lower case, §8.2.2 connection-specific fields
 * left out), within {@link ResponseHead#maxLength}.
 */
class ResponseHeadTest {

    @Test
    void statusAndContentLengthEncodeAsFieldWould() {
        HpackEncoder fast = new HpackEncoder(4096);
        HpackEncoder general = new HpackEncoder(4096);
        byte[] a = new byte[256];
        byte[] b = new byte[256];
        for (int code : new int[] {200, 204, 206, 304, 400, 404, 500, 201, 418, 201, 103}) {
            int n = fast.status(a, 0, code);
            int m = general.field(b, 0, ":status", Integer.toString(code));
            assertThat(Arrays.copyOf(a, n)).as("status " + code).isEqualTo(Arrays.copyOf(b, m));
        }
        for (long length : new long[] {13, 13, 0, 1_048_576, 13, Long.MAX_VALUE}) {
            int n = fast.contentLength(a, 0, length);
            int m = general.field(b, 0, "content-length", Long.toString(length));
            assertThat(Arrays.copyOf(a, n)).as("content-length " + length).isEqualTo(Arrays.copyOf(b, m));
        }
        assertThat(fast.toString()).isEqualTo(general.toString());
    }

    @Test
    void headDecodesToTheHandlersFieldsInLowerCase() {
        Headers h = new Headers();
        h.add("Content-Type", "text/plain");
        h.add("X-Custom-Thing", "A Value");
        h.add("already-lower", "v");
        h.add("Connection", "close");
        h.add("Transfer-Encoding", "chunked");
        h.add("Content-Length", "99");
        h.add("Server", "mine");
        ResponseHead head = new ResponseHead(418, h, 13, "porter", "max-age=60");
        List<String> fields = decode(head);
        assertThat(fields.get(0)).isEqualTo(":status: 418");
        assertThat(fields).contains("content-type: text/plain", "x-custom-thing: A Value", "already-lower: v",
                "server: mine", "strict-transport-security: max-age=60", "content-length: 13");
        assertThat(fields).noneMatch(f -> f.startsWith("connection") || f.startsWith("transfer-encoding")
                || f.equals("content-length: 99") || f.equals("server: porter"));
        assertThat(fields).anyMatch(f -> f.startsWith("date: "));
    }

    @Test
    void lowerCaseReturnsTheSameStringWhenNoCopyIsNeeded() {
        String lower = "x-already-lower";
        assertThat(ResponseHead.lowerCase(lower)).isSameAs(lower);
        assertThat(ResponseHead.lowerCase("Content-Type")).isEqualTo("content-type");
        assertThat(ResponseHead.lowerCase("Content-Type")).isSameAs(ResponseHead.lowerCase(new String("Content-Type")));
        assertThat(ResponseHead.lowerCase("X-Odd-NAME")).isEqualTo("x-odd-name");
    }

    private static List<String> decode(ResponseHead head) {
        HpackEncoder e = new HpackEncoder(4096);
        byte[] b = new byte[HpackEncoder.MAX_START_LENGTH + head.maxLength()];
        int n = head.encode(e, b, e.startBlock(b, 0));
        List<String> out = new ArrayList<>();
        new HpackDecoder(4096, 1 << 20).decode(b, 0, n, 1, (name, value) -> out.add(name + ": " + value));
        return out;
    }
}
