package dev.porter.http.h2;

import dev.porter.http.HttpConfig;
import dev.porter.http.HttpServer;
import dev.porter.http.internal.h2.FrameType;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The answers of streams that arrive together leave together (one stream's thread yields once and flushes for
 * the others, {@code Http2Writer.finishResponse}): each stream's frames stay in order, and a handler that blocks
 * holds back no other stream's answer.
 */
class Http2AnswerBatchingTest {

    /** RFC 9113 §8.1: per stream, the HEADERS, then DATA, the last frame carrying END_STREAM and nothing after it. */
    private static void assertEachStreamInOrder(List<H2Client.Frame> frames, int[] ids) {
        for (int id : ids) {
            List<Integer> types = new ArrayList<>();
            boolean ended = false;
            for (H2Client.Frame f : frames) {
                if (f.stream() != id) continue;
                assertThat(ended).as("a frame after END_STREAM on stream %d: %s", id, f).isFalse();
                types.add(f.type());
                ended = f.endStream();
            }
            assertThat(types).as("frames of stream %d", id).isNotEmpty().startsWith(FrameType.HEADERS);
            assertThat(types.subList(1, types.size())).as("frames of stream %d after its head", id)
                    .containsOnly(FrameType.DATA);
            assertThat(ended).as("stream %d ended", id).isTrue();
        }
    }

    @Test
    void manyStreamsSentTogether_eachAnsweredWithItsFramesInOrder() {
        HttpServer s = H2Server.start();
        try (H2Client c = H2Client.connect(s)) {
            for (int round = 0; round < 20; round++) {
                String[] paths = new String[10];
                for (int i = 0; i < paths.length; i++) paths[i] = i % 3 == 0 ? "/size/3000" : "/hello";
                int[] ids = c.getTogether(paths);
                for (int i = 0; i < ids.length; i++) {
                    H2Client.Exchange x = c.await(ids[i]);
                    assertThat(x.status()).isEqualTo(200);
                    assertThat(x.body.size()).isEqualTo(i % 3 == 0 ? 3000 : 5);
                }
                assertEachStreamInOrder(c.frames(), ids);
            }
        } finally {
            s.close();
        }
    }

    @Test
    void aBlockedHandler_holdsBackNoOtherStreamsAnswer() throws Exception {
        H2Server.Gate gate = new H2Server.Gate();
        HttpServer s = H2Server.start(HttpConfig.builder(), gate);
        try (H2Client c = H2Client.connect(s)) {
            // The blocked stream first, among them, and last: whichever thread yields for the others, each fast
            // answer must arrive while the gate is still shut.
            int[] ids = c.getTogether("/gate", "/hello", "/hello", "/hello", "/gate", "/hello", "/hello", "/gate");
            gate.awaitEntered(3);
            for (int i = 0; i < ids.length; i++) {
                if (i == 0 || i == 4 || i == 7) continue;
                assertThat(c.await(ids[i]).text()).as("stream %d while the gate is shut", ids[i]).isEqualTo("hello");
            }
            assertThat(gate.finished.get()).isZero();
            gate.open();
            for (int i : new int[] {0, 4, 7}) assertThat(c.await(ids[i]).text()).isEqualTo("released");
            assertEachStreamInOrder(c.frames(), ids);
        } finally {
            s.close();
        }
    }
}
