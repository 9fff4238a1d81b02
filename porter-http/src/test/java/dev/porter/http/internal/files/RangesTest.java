package dev.porter.http.internal.files;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The Range parser (RFC 9110 §14.1.1, §14.2) against a 1000-byte representation unless said otherwise. */
class RangesTest {

    private static List<Ranges.Slice> slices(String header, long length) {
        Ranges.Outcome o = Ranges.evaluate(header, length);
        assertThat(o).as(header).isInstanceOf(Ranges.Satisfiable.class);
        return ((Ranges.Satisfiable) o).slices();
    }

    private static Ranges.Slice s(long first, long last) {
        return new Ranges.Slice(first, last);
    }

    @Test
    void parsesTheThreeFormsOfRangeSpec() {
        assertThat(slices("bytes=0-499", 1000)).containsExactly(s(0, 499));
        assertThat(slices("bytes=500-", 1000)).containsExactly(s(500, 999));
        assertThat(slices("bytes=-200", 1000)).containsExactly(s(800, 999));
    }

    @Test
    void toleratesWhitespaceEmptyElementsAndUnitCase() {
        assertThat(slices("Bytes=0-0 , ,\t5-5,", 1000)).containsExactly(s(0, 0), s(5, 5));
    }

    @Test
    void clampsAndSaturatesHugeNumbers() {
        assertThat(slices("bytes=10-99999999999999999999999999", 1000)).containsExactly(s(10, 999));
        assertThat(slices("bytes=-99999999999999999999999999", 1000)).containsExactly(s(0, 999));
        assertThat(Ranges.evaluate("bytes=99999999999999999999999999-", 1000)).isInstanceOf(Ranges.Unsatisfiable.class);
    }

    @Test
    void dropsUnsatisfiableRangesAndAnswersUnsatisfiableWhenNoneIsLeft() {
        assertThat(slices("bytes=2000-3000,0-1", 1000)).containsExactly(s(0, 1));
        assertThat(Ranges.evaluate("bytes=1000-", 1000)).isInstanceOf(Ranges.Unsatisfiable.class);
        assertThat(Ranges.evaluate("bytes=-0", 1000)).isInstanceOf(Ranges.Unsatisfiable.class);
        assertThat(Ranges.evaluate("bytes=0-", 0)).isInstanceOf(Ranges.Unsatisfiable.class);
        assertThat(Ranges.evaluate("bytes=-5", 0)).isInstanceOf(Ranges.Unsatisfiable.class);
    }

    @Test
    void ignoresMalformedOrForeignHeaders() {
        for (String h : new String[] {null, "", "bytes", "bytes=", "bytes=,", "bytes=a-b", "bytes=5-4", "bytes=--5",
            "bytes=1-2-3", "bytes= 1 - 2", "bytes=+1-2", "items=0-5", "bytes0-5", "bytes =0-5", "bytes=0x10-20"}) {
            assertThat(Ranges.evaluate(h, 1000)).as(String.valueOf(h)).isInstanceOf(Ranges.Ignore.class);
        }
    }

    @Test
    void keepsTheRequestedOrderWithoutOverlapAndCoalescesOverlaps() {
        assertThat(slices("bytes=500-599,0-99", 1000)).containsExactly(s(500, 599), s(0, 99));
        assertThat(slices("bytes=500-599,0-99,550-700", 1000)).containsExactly(s(0, 99), s(500, 700));
        assertThat(slices("bytes=0-10,11-20,5-6", 1000)).containsExactly(s(0, 20));
        assertThat(slices("bytes=0-0,0-0,0-0", 1000)).containsExactly(s(0, 0));
    }

    @Test
    void moreThanTheLimitOfRangesIsIgnored() {
        StringBuilder sb = new StringBuilder("bytes=0-0");
        for (int i = 1; i < Ranges.MAX_RANGES; i++) sb.append(',').append(i * 2).append('-').append(i * 2);
        assertThat(slices(sb.toString(), 1000)).hasSize(Ranges.MAX_RANGES);
        sb.append(",999-999");
        assertThat(Ranges.evaluate(sb.toString(), 1000)).isInstanceOf(Ranges.Ignore.class);
    }

    @Test
    void formatsContentRange() {
        assertThat(s(0, 499).contentRange(1234)).isEqualTo("bytes 0-499/1234");
        assertThat(s(7, 7).length()).isEqualTo(1);
    }
}
