package dev.porter.http.internal.http1;

import dev.porter.http.Headers;
import dev.porter.http.testing.Splits;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A {@link ResponseHead} that keeps its fields as bytes ({@link FieldBytes}, the proxy's) against one that makes
 * strings, on the same inputs fed whole, byte by byte, in a random split and split in two at every index: the same
 * failures with the same messages, the same status and length, the same fields (made from the bytes), and as
 * strings exactly the framing fields and Via. The bytes are the lines as they are sent on: {@code Name: value}
 * CRLF, the value without its surrounding whitespace.
 */
class ResponseHeadBytesTest {

    @ParameterizedTest
    @ValueSource(strings = {
            "HTTP/1.1 200 OK\r\nServer: nginx\r\nDate: Sun, 06 Nov 1994 08:49:37 GMT\r\nContent-Length: 2\r\n"
                    + "Connection: keep-alive\r\n\r\nok",
            "HTTP/1.1 200 OK\r\nx-a:\t one  two \t\r\nvia: 1.1 a\r\nVIA: 1.0 b\r\nTransfer-Encoding: chunked\r\n"
                    + "Keep-Alive: timeout=5\r\nTE: trailers\r\nTrailer: X\r\nUpgrade: h2c\r\nProxy-Connection: x\r\n"
                    + "X-Empty:\r\n\r\n",
            "HTTP/1.0 404 Gone Fishing\r\nConnection: close, X-Hop\r\nX-Hop: 1\r\n\r\n",
            "HTTP/1.1 204\r\n\r\n",
            "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n",
            "HTTP/1.1 200 OK\r\n folded\r\n\r\n",
            "HTTP/1.1 200 OK\r\nName : v\r\n\r\n",
            "HTTP/1.1 200 OK\r\nName: a\rb\r\n\r\n",
            "HTTP/1.1 200 OK\r\nName: a\0b\r\n\r\n",
            "HTTP/1.1 200 OK\r\nNa(me: v\r\n\r\n",
            "HTTP/1.1 200 OK\r\n: v\r\n\r\n",
            "HTTP/1.1 200 OK\r\nno colon\r\n\r\n",
            "HTTP/1.1 200 OK\r\nA: 1\r\nB: 2\r\nC: 3\r\nD: 4\r\nE: 5\r\n\r\n",
            "HTTP/1.1 200 OK\r\nA: 1\nB: 2\r\n\r\n",
    })
    void keptAsBytesTheHeadIsTheSameAsWithStrings(String input) {
        byte[] b = input.getBytes(StandardCharsets.ISO_8859_1);
        ResponseHead reused = head(true);
        // Each way twice, the same splits for both heads (a failure's wording may depend on where a split falls).
        for (int w = 0; w < b.length + 2; w++) {
            Splits[] same = new Splits[2];
            for (int i = 0; i < 2; i++) {
                same[i] = w == 0 ? Splits.WHOLE : w == 1 ? Splits.BYTE_BY_BYTE : w == 2 ? Splits.random(input.hashCode())
                        : Splits.at(w - 2);
            }
            Feeds.ResponseOutcome strings = Feeds.responseHead(head(false), b, 0, same[0]);
            reused.renew();
            Feeds.ResponseOutcome kept = Feeds.responseHead(reused, b, 0, same[1]);
            assertThat(kept.consumed()).isEqualTo(strings.consumed());
            assertThat(message(kept)).isEqualTo(message(strings));
            if (strings.head() == null) continue;
            ResponseHead s = strings.head();
            ResponseHead k = kept.head();
            assertThat(k.status).isEqualTo(s.status);
            assertThat(k.version).isEqualTo(s.version);
            Headers all = new Headers();
            k.fields.addTo(all);
            assertThat(all.toString()).isEqualTo(s.headers.toString());
            assertThat(k.headers.toString()).isEqualTo(framingOnly(s.headers).toString());
            StringBuilder lines = new StringBuilder();
            for (int i = 0; i < s.headers.size(); i++) {
                lines.append(s.headers.name(i)).append(": ").append(s.headers.value(i)).append("\r\n");
            }
            int end = k.fields.size() == 0 ? 0 : k.fields.lineEnd(k.fields.size() - 1);
            assertThat(new String(k.fields.array(), 0, end, StandardCharsets.ISO_8859_1)).isEqualTo(lines.toString());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"Via:VIA", "Connection:CONNECTION", "content-length:CONTENT_LENGTH",
            "TRANSFER-ENCODING:TRANSFER_ENCODING", "Keep-Alive:OTHER_HOP_BY_HOP", "te:OTHER_HOP_BY_HOP",
            "Trailer:OTHER_HOP_BY_HOP", "Upgrade:OTHER_HOP_BY_HOP", "Proxy-Connection:OTHER_HOP_BY_HOP",
            "Tea:OTHER", "Server:OTHER", "Connections:OTHER"})
    void eachFieldIsKnownByItsName(String nameAndKind) throws Exception {
        String name = nameAndKind.substring(0, nameAndKind.indexOf(':'));
        byte kind = FieldBytes.class.getField(nameAndKind.substring(name.length() + 1)).getByte(null);
        byte[] b = ("HTTP/1.1 200 OK\r\n" + name + ": 1\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
        ResponseHead head = Feeds.responseHead(head(true), b, 0, Splits.WHOLE).head();
        assertThat(head.fields.size()).isEqualTo(1);
        assertThat(head.fields.kind(0)).isEqualTo(kind);
        assertThat(head.fields.name(0)).isEqualTo(name);
        assertThat(head.fields.nameLength(0)).isEqualTo(name.length());
    }

    private static Headers framingOnly(Headers h) {
        Headers out = new Headers();
        for (int i = 0; i < h.size(); i++) {
            String n = h.name(i);
            if (n.equalsIgnoreCase("Via") || n.equalsIgnoreCase("Connection") || n.equalsIgnoreCase("Content-Length")
                    || n.equalsIgnoreCase("Transfer-Encoding")) {
                // The kept head names them in their usual spelling.
                out.add(n.equalsIgnoreCase("Via") ? "Via" : n.equalsIgnoreCase("Connection") ? "Connection"
                        : n.equalsIgnoreCase("Content-Length") ? "Content-Length" : "Transfer-Encoding", h.value(i));
            }
        }
        return out;
    }

    private static String message(Feeds.ResponseOutcome o) {
        return o.failure() == null ? null : o.failure().getClass().getSimpleName() + ": " + o.failure().getMessage();
    }

    private static ResponseHead head(boolean keepBytes) {
        return new ResponseHead(ResponseHeadTest.MAX_HEADER_BYTES, ResponseHeadTest.MAX_HEADER_COUNT, false, keepBytes);
    }
}
