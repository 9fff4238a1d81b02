package dev.porter.http.internal.status;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Per-connection meters: their counts are in the figures while they are open, stay there once closed (folded into
 * the totals), and a reused meter starts from zero; the sampler sees them like the shared counters.
 */
class MeterTest {

    @Test
    void anOpenMetersCountsAreInTheFiguresAndStayAfterItCloses() {
        Metrics m = new Metrics();
        Meter a = m.open();
        for (int i = 0; i < 9; i++) m.record(a, 200, 1_000_000);
        m.record(a, 404, 3_000_000);
        m.record(a, 200, -1);
        assertThat(m.classes()).containsExactly(0, 10, 0, 1, 0);
        assertThat(m.errors(404)).isEqualTo(1);
        assertThat(sum(m.buckets())).isEqualTo(10);
        assertThat(m.sumNanos()).isEqualTo(12_000_000);

        m.close(a);
        assertThat(m.classes()).containsExactly(0, 10, 0, 1, 0);
        assertThat(sum(m.buckets())).isEqualTo(10);
        assertThat(m.sumNanos()).isEqualTo(12_000_000);
        assertThat(m.takeMax()).as("a closed meter's maximum is kept until taken").isEqualTo(3_000_000);
        assertThat(m.takeMax()).isZero();

        Meter b = m.open();
        assertThat(b).as("reused").isSameAs(a);
        for (int i = 0; i < Meter.LENGTH; i++) assertThat(b.get(i)).as("from zero").isZero();
        m.record(b, 503, 5_000_000);
        m.record(200, 7_000_000); // and the shared path beside it
        assertThat(m.classes()).containsExactly(0, 11, 0, 1, 1);
        assertThat(m.takeMax()).isEqualTo(7_000_000);
        m.record(b, 200, 2_000_000);
        assertThat(m.takeMax()).as("a live meter's maximum, since the last take").isEqualTo(2_000_000);
    }

    @Test
    void closingAMeterInTheMiddleOfTheLiveListKeepsTheOthersCounted() {
        Metrics m = new Metrics();
        List<Meter> meters = new ArrayList<>();
        for (int i = 0; i < 5; i++) meters.add(m.open());
        for (int i = 0; i < 5; i++) m.record(meters.get(i), 200, (i + 1) * 1_000_000L);
        m.close(meters.get(1));
        m.close(meters.get(3));
        m.record(meters.get(4), 200, 1_000_000);
        assertThat(m.classes()[1]).isEqualTo(6);
        assertThat(m.sumNanos()).isEqualTo(16_000_000);
        m.close(meters.get(0));
        m.close(meters.get(4));
        m.close(meters.get(2));
        assertThat(m.classes()[1]).isEqualTo(6);
        assertThat(m.sumNanos()).isEqualTo(16_000_000);
    }

    @Test
    void theSamplerSeesMetersWrittenByOtherThreads() throws Exception {
        Metrics m = new Metrics();
        Sampler s = new Sampler(m);
        int threads = 8;
        int each = 10_000;
        CountDownLatch done = new CountDownLatch(threads);
        for (int t = 0; t < threads; t++) {
            Thread.ofVirtual().start(() -> {
                Meter meter = m.open();
                for (int i = 0; i < each; i++) m.record(meter, 200, 1_000_000);
                if (meter.hashCode() % 2 == 0) m.close(meter); // some closed, some still open
                done.countDown();
            });
        }
        done.await();
        s.tick();
        Figures f = s.latest();
        assertThat(f.requests()).isEqualTo((long) threads * each);
        assertThat(f.timed()).isEqualTo((long) threads * each);
        assertThat(f.p50()).isCloseTo(1, within(0.25));
        assertThat(f.max()).isEqualTo(1);
    }

    private static long sum(long[] a) {
        long n = 0;
        for (long x : a) n += x;
        return n;
    }
}
