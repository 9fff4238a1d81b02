package dev.porter.http.internal.http1;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link RepeatedStrings}: the strings of the last head handed out again, and forgotten after a switch. */
class RepeatedStringsTest {

    private static byte[] latin1(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void anEqualStringAtTheSamePlaceIsTheOneMadeBefore() {
        RepeatedStrings r = new RepeatedStrings();
        byte[] b = latin1("xx/wsxx");
        String first = r.get(0, b, 2, 3);
        assertThat(r.get(0, latin1("/ws"), 0, 3)).isEqualTo("/ws").isSameAs(first);
        assertThat(r.get(1, latin1("/ws"), 0, 3)).isEqualTo("/ws").isNotSameAs(first);
    }

    @Test
    void afterAClearEveryPlaceStartsOverWithTheSameResults() {
        RepeatedStrings r = new RepeatedStrings();
        String[] before = new String[40];
        for (int slot = 0; slot < 40; slot++) before[slot] = r.get(slot, latin1("field-" + slot), 0, 6 + digits(slot));
        r.clear();
        for (int slot = 39; slot >= 0; slot--) {
            String again = r.get(slot, latin1("field-" + slot), 0, 6 + digits(slot));
            assertThat(again).isEqualTo(before[slot]).isNotSameAs(before[slot]);
            assertThat(r.get(slot, latin1("field-" + slot), 0, 6 + digits(slot))).isSameAs(again);
        }
    }

    private static int digits(int n) {
        return n < 10 ? 1 : 2;
    }
}
