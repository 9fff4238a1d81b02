package dev.porter.bench.ws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class LoadHelpersTest {

    @Test
    void percentilesAreWithinOnePercent() {
        LatencyHistogram h = new LatencyHistogram();
        for (int v = 1; v <= 100_000; v++) h.record(v);
        assertThat(h.count()).isEqualTo(100_000);
        assertThat(h.percentile(0.5)).isBetween(49_500L, 50_000L);
        assertThat(h.percentile(0.99)).isBetween(98_000L, 99_000L);
        assertThat(h.percentile(1.0)).isBetween(99_000L, 100_000L);
        LatencyHistogram other = new LatencyHistogram();
        other.record(5);
        other.add(h);
        assertThat(other.count()).isEqualTo(100_001);
        assertThat(new LatencyHistogram().percentile(0.99)).isZero();
    }

    @Test
    void bucketsCoverEveryValueInOrder() {
        long previous = -1;
        for (long v = 0; v < 1L << 40; v = v < 1000 ? v + 1 : v + v / 50) {
            int index = LatencyHistogram.index(v);
            long low = LatencyHistogram.lowerBound(index);
            assertThat(low).isLessThanOrEqualTo(v).isGreaterThanOrEqualTo(previous);
            assertThat(v - low).isLessThanOrEqualTo(Math.max(0, v / 128));
            previous = low;
        }
    }

    @Test
    void cpuTimeIsUtimePlusStimeWhateverTheCommandIsCalled() {
        String stat = "4242 (a (weird) name) S 1 4242 4242 0 -1 4194560 100 0 0 0 250 31 0 0 20 0 20 0 100 0 0";
        assertThat(ProcessCpu.parse(stat)).isEqualTo(281);
        assertThat(ProcessCpu.selfTicks()).isGreaterThanOrEqualTo(0);
        long self = ProcessCpu.selfTicks();
        assertThat(ProcessCpu.treeTicks(ProcessHandle.current().pid())).isGreaterThanOrEqualTo(self);
        assertThat(ProcessCpu.treeTicks(Long.MAX_VALUE)).isEqualTo(-1);
    }

    @Test
    void sourcesSpreadOverLoopbackAddressesWhenPortsRunShort() throws Exception {
        InetAddress server = InetAddress.getByName("127.0.0.1");
        assertThat(WsLoad.autoSources(10_000, 28_232)).isEqualTo(1);
        assertThat(WsLoad.autoSources(40_000, 28_232)).isEqualTo(2);
        assertThat(WsLoad.sources(server, "1", 10)).isEmpty();
        assertThat(WsLoad.sources(server, "3", 10)).extracting(InetAddress::getHostAddress)
            .containsExactly("127.0.0.1", "127.0.0.2", "127.0.0.3");
    }

    @Test
    void optionsAreNamedAndTextOrBinaryIsAFlag() {
        assertThat(WsLoad.options(new String[] {"echo", "--port", "1", "--binary"})).containsEntry("port", "1")
            .containsKey("binary").doesNotContainKey("text");
        assertThatThrownBy(() -> WsLoad.options(new String[] {"echo", "--port"})).hasMessageContaining("needs a value");
    }

    @Test
    void refusesAnythingButLoopback() {
        assertThatThrownBy(() -> WsLoad.main(new String[] {"echo", "--host", "192.0.2.1", "--port", "80"}))
            .hasMessageContaining("loopback only");
    }

    @Test
    void retransmittedSegmentsAreReadFromTheTcpLines() {
        List<String> snmp = List.of("Ip: Forwarding DefaultTTL", "Ip: 1 64",
            "Tcp: RtoAlgorithm RtoMin RtoMax MaxConn ActiveOpens PassiveOpens AttemptFails EstabResets CurrEstab InSegs OutSegs RetransSegs InErrs",
            "Tcp: 1 200 120000 -1 10 20 0 0 3 1000 900 42 0");
        assertThat(NetStat.parse(snmp)).isEqualTo(42);
        assertThat(NetStat.parse(List.of("Ip: 1 64"))).isEqualTo(-1);
        assertThat(NetStat.retransSegs()).isGreaterThanOrEqualTo(-1);
    }
}
