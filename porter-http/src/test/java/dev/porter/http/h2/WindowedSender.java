package dev.porter.http.h2;

import dev.porter.http.internal.h2.FrameType;
import dev.porter.http.internal.h2.Settings;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A well-behaved sender of request bodies on an {@link H2Client}: it keeps the send windows the server opened
 * (RFC 9113 §6.9: 65,535 on the connection at the start, the server's SETTINGS_INITIAL_WINDOW_SIZE on each stream,
 * plus every WINDOW_UPDATE read so far) and never sends DATA beyond them. What the server lets it send is then
 * what the server is willing to buffer.
 */
final class WindowedSender {

    private static final int FRAME = 16_384;

    private final H2Client c;
    private final int initial;
    private final Map<Integer, Long> streams = new HashMap<>();
    /** Frames of {@link H2Client#frames()} whose WINDOW_UPDATEs are counted. */
    private int seen;
    private long connection = Settings.DEFAULT_WINDOW_SIZE;
    private long sent;

    WindowedSender(H2Client c) {
        this.c = c;
        this.initial = c.serverSettings.initialWindowSize();
        update();
    }

    /** @return DATA bytes sent so far, on every stream */
    long sent() {
        return sent;
    }

    /** @return the connection window the server opened, less what was sent */
    long connectionWindow() {
        update();
        return connection;
    }

    /**
     * Checks that the server never opened the connection window past {@code window} (its connectionWindow): it may
     * give back only what it received, each byte once (§6.9.1).
     */
    void assertConnectionWindowAtMost(long window) {
        update();
        if (connection > window) {
            throw new AssertionError("the server opened the connection window to " + connection + ", past " + window
                    + ": more given back than was sent");
        }
    }

    /** @return the sum of the connection WINDOW_UPDATEs read so far */
    long connectionIncrements() {
        long sum = 0;
        for (H2Client.Frame f : c.frames()) if (f.type() == FrameType.WINDOW_UPDATE && f.stream() == 0) sum += f.increment();
        return sum;
    }

    /**
     * Sends up to {@code max} bytes on {@code id}, in frames of at most 16 KiB, as far as both windows allow now.
     *
     * @return bytes sent
     */
    int sendNow(int id, long max, boolean endWhenDone) {
        update();
        int total = 0;
        while (total < max) {
            long room = Math.min(connection, streams.getOrDefault(id, (long) initial));
            int n = (int) Math.min(Math.min(room, FRAME), max - total);
            if (n <= 0) break;
            total += n;
            c.data(id, new byte[n], endWhenDone && total == max);
            connection -= n;
            streams.put(id, streams.getOrDefault(id, (long) initial) - n);
        }
        sent += total;
        return total;
    }

    /**
     * Sends {@code bodyLength} bytes on {@code id} and ends the stream, reading frames (WINDOW_UPDATEs) whenever a
     * window is closed. Fails if the server closes the connection first.
     */
    void upload(int id, long bodyLength) {
        long left = bodyLength;
        while (left > 0) {
            left -= sendNow(id, left, true);
            if (left > 0 && c.next() == null) throw new AssertionError("connection closed with " + left + " bytes unsent");
        }
    }

    /**
     * On each of {@code ids} in turn, sends as much as the windows allow (up to {@code perStream} each), with a PING
     * round trip after each pass, until a pass sends nothing: every WINDOW_UPDATE the server sent for what it took
     * in was read by then (the server answers the PING after the DATA before it).
     *
     * @return bytes sent in all
     */
    long fill(int[] ids, long perStream) {
        Map<Integer, Long> each = new HashMap<>();
        long before = sent;
        while (true) {
            long pass = 0;
            for (int id : ids) {
                long done = each.getOrDefault(id, 0L);
                int n = sendNow(id, perStream - done, false);
                each.put(id, done + n);
                pass += n;
            }
            c.roundTrip();
            if (pass == 0) return sent - before;
        }
    }

    /** Counts the WINDOW_UPDATEs read since the last look. */
    private void update() {
        List<H2Client.Frame> all = c.frames();
        for (; seen < all.size(); seen++) {
            H2Client.Frame f = all.get(seen);
            if (f.type() != FrameType.WINDOW_UPDATE) continue;
            if (f.stream() == 0) connection += f.increment();
            else streams.put(f.stream(), streams.getOrDefault(f.stream(), (long) initial) + f.increment());
        }
    }
}
