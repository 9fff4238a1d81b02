package dev.porter.http.internal.websocket;

import dev.porter.http.WebSocket;
import dev.porter.http.WebSocketConfig;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * When a server's session flushes, over a {@link ScriptedStream}: the echoes of frames that arrived together leave
 * in one flush, and nothing written is ever left unflushed while the session waits for input.
 */
class SessionFlushTest {

    private static byte[] masked(String... texts) {
        FrameWriter client = new FrameWriter(new SplittableRandom(7));
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (String t : texts) {
            byte[] p = t.getBytes(StandardCharsets.UTF_8);
            try {
                client.write(b::write, true, false, FrameParser.TEXT, p, 0, p.length);
            } catch (java.io.IOException e) {
                throw new AssertionError(e);
            }
        }
        return b.toByteArray();
    }

    private static byte[] unmasked(String... texts) {
        FrameWriter server = new FrameWriter(null);
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (String t : texts) {
            byte[] p = t.getBytes(StandardCharsets.UTF_8);
            try {
                server.write(b::write, true, false, FrameParser.TEXT, p, 0, p.length);
            } catch (java.io.IOException e) {
                throw new AssertionError(e);
            }
        }
        return b.toByteArray();
    }

    /** Runs an echo handler until the scripted input ends. */
    private static void echo(ScriptedStream s) {
        WebSocketSession session = new WebSocketSession(s, WebSocketConfig.defaults().withDeflate(false), null,
                new Handshake.Accepted("", null, null));
        session.run(ws -> {
            for (WebSocket.Message m; (m = ws.receive()) != null; ) ws.send(m);
        });
    }

    @Test
    void theEchoesOfSixteenFramesReadTogetherLeaveInOneFlush() {
        String[] texts = new String[16];
        for (int i = 0; i < texts.length; i++) texts[i] = "message " + i;
        ScriptedStream s = new ScriptedStream(masked(texts));

        echo(s);

        assertThat(s.flushes).hasSize(1);
        assertThat(s.flushes.get(0)).isEqualTo(unmasked(texts));
        assertThat(s.waitsWithUnflushedOutput).isZero();
    }

    @Test
    void anOwedEchoIsFlushedBeforeTheSessionWaitsForTheRestOfAFrame() {
        byte[] first = masked("first");
        byte[] second = masked("second");
        for (int cut : new int[]{1, 2, 9}) { // inside the next frame's header, after it, inside its payload
            byte[] read1 = Arrays.copyOf(first, first.length + cut);
            System.arraycopy(second, 0, read1, first.length, cut);
            ScriptedStream s = new ScriptedStream(read1, Arrays.copyOfRange(second, cut, second.length));

            echo(s);

            assertThat(s.flushes).as("cut %d", cut).containsExactly(unmasked("first"), unmasked("second"));
            assertThat(s.waitsWithUnflushedOutput).as("cut %d", cut).isZero();
        }
    }

    @Test
    void framesReadOneByOneAreEchoedOneByOne() {
        ScriptedStream s = new ScriptedStream(masked("a"), masked("b"), masked("c"));

        echo(s);

        assertThat(s.flushes).containsExactly(unmasked("a"), unmasked("b"), unmasked("c"));
    }

    @Test
    void textsAreSentAsTheirUtf8WhateverTheirLengthOrCharacters() {
        String[] texts = {"", "a", "x".repeat(125), "y".repeat(126), "z".repeat(70_000), "w\u00f6rld \u2713", "\ud83d\ude00",
                "lone \ud83d surrogate", "ascii then \u00e9"};
        for (String t : texts) {
            ScriptedStream s = new ScriptedStream(masked("go"));
            WebSocketSession session = new WebSocketSession(s, WebSocketConfig.defaults().withDeflate(false), null,
                    new Handshake.Accepted("", null, null));
            session.run(ws -> {
                ws.receive();
                ws.sendText(t);
            });

            byte[] utf8 = t.getBytes(StandardCharsets.UTF_8);
            ByteArrayOutputStream expected = new ByteArrayOutputStream();
            try {
                // As the frames of a long message: 64 KiB each (Sender.FRAGMENT).
                FrameWriter w = new FrameWriter(null);
                int done = 0;
                do {
                    int n = Math.min(Sender.FRAGMENT, utf8.length - done);
                    w.write(expected::write, done + n == utf8.length, false, done == 0 ? FrameParser.TEXT : FrameParser.CONTINUATION,
                            utf8, done, n);
                    done += n;
                } while (done < utf8.length);
            } catch (java.io.IOException e) {
                throw new AssertionError(e);
            }
            byte[] sent = s.flushes.get(0);
            assertThat(Arrays.copyOf(sent, expected.size())).as("%.20s", t).isEqualTo(expected.toByteArray());
        }
    }
}
