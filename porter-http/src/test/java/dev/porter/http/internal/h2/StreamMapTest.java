package dev.porter.http.internal.h2;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link StreamMap}: the same answers as a plain map, through growth and deletions that shift probe chains. */
class StreamMapTest {

    @Test
    void behavesAsAMapUnderRandomOpensAndEnds() {
        Random r = new Random(42);
        StreamMap map = new StreamMap();
        Map<Integer, Http2Stream> reference = new HashMap<>();
        List<Integer> open = new ArrayList<>();
        int next = 1;
        for (int step = 0; step < 20_000; step++) {
            if (open.isEmpty() || (open.size() < 200 && r.nextInt(3) > 0)) {
                // Identifiers rise; sometimes skip some, so long-lived streams and new ones collide in the table.
                next += 2 * (1 + (r.nextInt(10) == 0 ? r.nextInt(64) : 0));
                Http2Stream s = new Http2Stream(next, null, 65_535, 65_535, -1);
                map.put(s);
                reference.put(next, s);
                open.add(next);
            } else {
                int id = open.remove(r.nextInt(open.size()));
                assertThat(map.remove(id)).isTrue();
                reference.remove(id);
                assertThat(map.remove(id)).isFalse();
            }
            assertThat(map.size()).isEqualTo(reference.size());
            if (step % 97 == 0) {
                for (int id : open) assertThat(map.get(id)).isSameAs(reference.get(id));
                assertThat(map.get(next + 2)).isNull();
                assertThat(map.snapshot()).containsExactlyInAnyOrderElementsOf(reference.values());
            }
        }
        assertThat(map.isEmpty()).isEqualTo(reference.isEmpty());
    }

    @Test
    void putReplacesAStreamWithTheSameIdentifier() {
        StreamMap map = new StreamMap();
        Http2Stream a = new Http2Stream(5, null, 1, 1, -1);
        Http2Stream b = new Http2Stream(5, null, 1, 1, -1);
        map.put(a);
        map.put(b);
        assertThat(map.size()).isEqualTo(1);
        assertThat(map.get(5)).isSameAs(b);
    }
}
