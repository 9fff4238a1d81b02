package dev.porter.http.internal.status;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Rates and the last minute's figures from the ever-growing counters, tick by tick (driven by the test). */
class SamplerTest {

    @Test
    void aTicksResponsesMakeItsRateAndPercentiles() {
        Metrics m = new Metrics();
        Sampler s = new Sampler(m);
        for (int i = 0; i < 90; i++) m.record(200, 1_000_000);      // 1 ms
        for (int i = 0; i < 10; i++) m.record(503, 100_000_000);    // 100 ms
        m.record(200, -1);                                          // an event stream: counted, not timed
        s.tick();
        Figures f = s.latest();
        assertThat(f.requests()).isEqualTo(101);
        assertThat(f.timed()).isEqualTo(100);
        assertThat(f.series()).hasSize(1);
        assertThat(f.p50()).isCloseTo(1, within(0.25));
        assertThat(f.p99()).isCloseTo(100, within(25.0));
        assertThat(f.max()).isEqualTo(100);
        assertThat(m.errors(503)).isEqualTo(10);
        assertThat(m.classes()).containsExactly(0, 91, 0, 0, 10);
    }

    @Test
    void theWindowForgetsWhatIsOlderThanAMinute() {
        Metrics m = new Metrics();
        Sampler s = new Sampler(m);
        m.record(200, 500_000_000); // one slow response at the start
        s.tick();
        assertThat(s.latest().max()).isEqualTo(500);
        for (int t = 0; t < Sampler.WINDOW; t++) {
            m.record(200, 2_000_000);
            s.tick();
        }
        Figures f = s.latest();
        assertThat(f.windowSeconds()).isEqualTo(Sampler.WINDOW);
        assertThat(f.timed()).as("the slow one left the window").isEqualTo(Sampler.WINDOW);
        assertThat(f.max()).isEqualTo(2);
        assertThat(f.p99()).isLessThanOrEqualTo(2);
        assertThat(f.requests()).isEqualTo(Sampler.WINDOW + 1);
        assertThat(f.series()).hasSize(Sampler.WINDOW);
    }
}
