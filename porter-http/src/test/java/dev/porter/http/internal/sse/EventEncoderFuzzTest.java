package dev.porter.http.internal.sse;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.porter.http.ServerSentEvent;
import dev.porter.http.testing.SseParser;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzzes the event-stream encoder: the input (as UTF-8, malformed bytes replaced) is cut at the first two U+0001
 * characters into an id, an event type and the data. Every event the record accepts must be read back by the
 * WHATWG parsing algorithm ({@link SseParser}) exactly (data with its line ends as LF), as one event, whole or fed
 * a character at a time, and followed by nothing: no value can end its field early or inject another field. The
 * record may refuse only ids holding CR, LF or NUL and types holding CR or LF. Replays
 * {@code EventEncoderFuzzTestInputs/} in the normal test run; {@code scripts/fuzz} runs a campaign.
 */
class EventEncoderFuzzTest {

    @FuzzTest(maxDuration = "10m")
    void encodedEventsParseBackExactly(byte[] input) {
        String s = new String(input, StandardCharsets.UTF_8);
        String[] parts = s.split("\u0001", 3);
        String id = parts.length > 1 ? parts[0] : null;
        String type = parts.length > 2 ? parts[1] : null;
        String data = parts[parts.length - 1];
        ServerSentEvent event;
        try {
            event = new ServerSentEvent(id, type, data, Duration.ofMillis(input.length));
        } catch (IllegalArgumentException e) {
            boolean badId = id != null && (id.contains("\r") || id.contains("\n") || id.contains("\0"));
            boolean badType = type != null && (type.contains("\r") || type.contains("\n"));
            assertThat(badId || badType).as("refused without cause: %s", e.getMessage()).isTrue();
            return;
        }
        String wire = new String(EventEncoder.event(event), StandardCharsets.UTF_8);
        SseParser whole = new SseParser().feed(wire);
        assertThat(whole.events()).hasSize(1);
        SseParser.Event read = whole.events().get(0);
        assertThat(read.data()).isEqualTo(data.replace("\r\n", "\n").replace('\r', '\n'));
        assertThat(read.type()).isEqualTo(type == null || type.isEmpty() ? "message" : type);
        assertThat(read.lastEventId()).isEqualTo(id == null ? "" : id);
        assertThat(whole.retry()).isEqualTo(input.length);
        assertThat(whole.comments()).isEmpty();
        SseParser split = new SseParser();
        for (int i = 0; i < wire.length(); i++) split.feed(wire.substring(i, i + 1));
        assertThat(split.events()).isEqualTo(whole.events());
    }
}
