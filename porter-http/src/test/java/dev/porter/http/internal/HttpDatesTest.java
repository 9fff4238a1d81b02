package dev.porter.http.internal;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** HTTP-date parsing in the three forms of RFC 9110 §5.6.7, and the formatter it must agree with. */
class HttpDatesTest {

    private static final long NOW = Instant.parse("2026-06-01T00:00:00Z").getEpochSecond();
    private static final long EXAMPLE = Instant.parse("1994-11-06T08:49:37Z").getEpochSecond();

    @Test
    void parsesAllThreeFormsOfTheRfcExample() {
        assertThat(HttpDates.parse("Sun, 06 Nov 1994 08:49:37 GMT", NOW)).isEqualTo(EXAMPLE);
        assertThat(HttpDates.parse("Sunday, 06-Nov-94 08:49:37 GMT", NOW)).isEqualTo(EXAMPLE);
        assertThat(HttpDates.parse("Sun Nov  6 08:49:37 1994", NOW)).isEqualTo(EXAMPLE);
        assertThat(HttpDates.parse("  Sun, 06 Nov 1994 08:49:37 GMT ", NOW)).isEqualTo(EXAMPLE);
    }

    @Test
    void roundTripsWithTheFormatter() {
        for (long t : new long[] {0, EXAMPLE, NOW, 4102444799L}) {
            assertThat(HttpDates.parse(DateCache.format(t), NOW)).isEqualTo(t);
        }
    }

    @Test
    void placesTwoDigitYearsWithinFiftyYearsOfNow() {
        long y2050 = HttpDates.parse("Saturday, 01-Jan-50 00:00:00 GMT", NOW);
        assertThat(Instant.ofEpochSecond(y2050).toString()).startsWith("2050-");
        long y1977 = HttpDates.parse("Saturday, 01-Jan-77 00:00:00 GMT", NOW);
        assertThat(Instant.ofEpochSecond(y1977).toString()).startsWith("1977-");
    }

    @Test
    void rejectsWhatIsNotAnHttpDate() {
        for (String s : new String[] {null, "", "yesterday", "Sun, 06 Nov 1994 08:49:37 UTC", "Sun, 6 Nov 1994 08:49:37 GMT",
            "Sun, 06 Foo 1994 08:49:37 GMT", "Sun, 31 Feb 1994 08:49:37 GMT", "Sun, 06 Nov 1994 25:49:37 GMT",
            "Sun, 06 Nov 1994 08-49-37 GMT", "Sun Nov 6 08:49:37 1994", "1994-11-06T08:49:37Z", "Sun, 0x Nov 1994 08:49:37 GMT"}) {
            assertThat(HttpDates.parse(s, NOW)).as(String.valueOf(s)).isEqualTo(HttpDates.INVALID);
        }
    }
}
