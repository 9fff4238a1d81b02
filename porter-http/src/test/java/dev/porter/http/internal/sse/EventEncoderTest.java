package dev.porter.http.internal.sse;

import dev.porter.http.ServerSentEvent;
import dev.porter.http.testing.SseParser;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The encoder against the WHATWG parsing algorithm ({@link SseParser}): whatever an event holds, a browser reads back
 * exactly what was sent, fed whole or one character at a time.
 */
class EventEncoderTest {

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    private static SseParser.Event roundTrip(ServerSentEvent e) {
        String wire = text(EventEncoder.event(e));
        SseParser whole = new SseParser().feed(wire);
        SseParser split = new SseParser();
        for (int i = 0; i < wire.length(); i++) split.feed(wire.substring(i, i + 1));
        assertThat(split.events()).isEqualTo(whole.events());
        assertThat(whole.events()).hasSize(1);
        return whole.events().get(0);
    }

    @Test
    void fieldsInTheirOrderThenABlankLine() {
        ServerSentEvent e = ServerSentEvent.of("hello").withId("7").withEvent("tick").withRetry(Duration.ofMillis(2500));
        assertThat(text(EventEncoder.event(e))).isEqualTo("id: 7\nevent: tick\nretry: 2500\ndata: hello\n\n");
    }

    @Test
    void everyKindOfLineEndSplitsDataIntoLinesAndComesBackAsLf() {
        String wire = text(EventEncoder.event(ServerSentEvent.of("a\r\nb\rc\nd")));
        assertThat(wire).isEqualTo("data: a\ndata: b\ndata: c\ndata: d\n\n");
        assertThat(roundTrip(ServerSentEvent.of("a\r\nb\rc\nd")).data()).isEqualTo("a\nb\nc\nd");
    }

    @Test
    void edgesOfDataSurvive() {
        for (String d : new String[] {"", "\n", "\n\n", "x\n", "\r\n", "  two leading spaces", ": not a comment",
                "data: inside", "ünïcödé ✓ 🚀", "tab\there", "\r\r\n\n"}) {
            String expected = d.replace("\r\n", "\n").replace('\r', '\n');
            assertThat(roundTrip(ServerSentEvent.of(d)).data()).as("data %s", d).isEqualTo(expected);
        }
    }

    @Test
    void idAndTypeComeBackAsSent() {
        SseParser.Event e = roundTrip(ServerSentEvent.of("x").withId(" spaced id").withEvent("custom:type"));
        assertThat(e.lastEventId()).isEqualTo(" spaced id");
        assertThat(e.type()).isEqualTo("custom:type");
    }

    @Test
    void retryIsWholeMilliseconds() {
        SseParser p = new SseParser().feed(text(EventEncoder.event(ServerSentEvent.of("x").withRetry(Duration.ofSeconds(3)))));
        assertThat(p.retry()).isEqualTo(3000);
    }

    @Test
    void anEventWithoutDataSetsTheIdButIsNotDispatched() {
        SseParser p = new SseParser().feed(text(EventEncoder.event(new ServerSentEvent("42", null, null, null))));
        assertThat(p.events()).isEmpty();
        assertThat(p.lastEventId()).isEqualTo("42");
    }

    @Test
    void commentsAreSkippedByTheParserWhateverTheyHold() {
        String wire = text(EventEncoder.comment("one\ntwo\r\nthree")) + text(EventEncoder.comment(""));
        assertThat(wire).isEqualTo(": one\n: two\n: three\n:\n");
        SseParser p = new SseParser().feed(wire);
        assertThat(p.events()).isEmpty();
        assertThat(p.comments()).containsExactly(" one", " two", " three", "");
    }

    @Test
    void singleLineFieldsRefuseLineEnds() {
        assertThatThrownBy(() -> ServerSentEvent.of("x").withId("a\nb")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ServerSentEvent.of("x").withId("a\rb")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ServerSentEvent.of("x").withId("a\0b")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ServerSentEvent.of("x").withEvent("a\nb")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ServerSentEvent.of("x").withRetry(Duration.ofMillis(-1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ServerSentEvent(null, null, null, null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void randomTextRoundTrips() {
        Random random = new Random(13);
        char[] alphabet = {'a', ' ', ':', '\r', '\n', 'é', '\u2028', '\0', '\t', 'z'};
        for (int round = 0; round < 2000; round++) {
            StringBuilder sb = new StringBuilder();
            int n = random.nextInt(20);
            for (int i = 0; i < n; i++) sb.append(alphabet[random.nextInt(alphabet.length)]);
            String d = sb.toString();
            assertThat(roundTrip(ServerSentEvent.of(d).withEvent("t")).data()).as("data %s", d.replace("\r", "\\r").replace("\n", "\\n"))
                    .isEqualTo(d.replace("\r\n", "\n").replace('\r', '\n'));
        }
    }
}
