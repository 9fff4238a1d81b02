package dev.porter.bench.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.xml.sax.InputSource;

class ReportTest {

    @TempDir
    Path dir;

    private Summary summary() throws Exception {
        Files.writeString(dir.resolve("meta.properties"), "date=2026-01-01T00:00:00Z\nmode=full\nrounds=3\nclk_tck=100\n");
        Files.writeString(dir.resolve("servers.tsv"), "porter\tok\nnginx\tok\nnetty\tok\njdk\tnot available (exited)\n");
        Files.writeString(dir.resolve("runs.tsv"), String.join("\n",
            "server\tjob\tround\trequests\tduration_us\tbytes\tp99_us\tcpu_ticks\terrors\tnon2xx",
            // porter: 90k, 100k, 80k req/s -> median 90k; cpu 10 ticks per 100k requests = 1 us/request
            "porter\tplaintext-c64\t1\t90000\t1000000\t0\t500\t9\t0\t0",
            "porter\tplaintext-c64\t2\t100000\t1000000\t0\t700\t10\t0\t0",
            "porter\tplaintext-c64\t3\t80000\t1000000\t0\t600\t8\t0\t0",
            "nginx\tplaintext-c64\t1\t120000\t1000000\t0\t400\t12\t0\t0",
            "netty\tplaintext-c64\t1\t100000\t1000000\t0\t300\t10\t0\t2",
            "netty\tstatic-1m\t1\t1000\t2000000\t2000000000\t300\t10\t0\t0",
            "netty\tsome-future-job\t1\t1\t1\t1\t1\t1\t0\t0",
            ""));
        Files.writeString(dir.resolve("idle.tsv"), String.join("\n",
            "server\tconnections\topened\talive\trss_before_kb\trss_after_kb\theap_before\theap_after\trequests\tduration_us\tbytes\tp99_us\tcpu_ticks\terrors\tnon2xx",
            "porter\t1000\t1000\t1000\t1000\t5000\t1000000\t3000000\t81000\t1000000\t0\t900\t9\t0\t0",
            "nginx\t1000\t1000\t1000\t1000\t2000\t-1\t-1\t120000\t1000000\t0\t400\t12\t0\t0",
            ""));
        return new Summary(Results.load(dir));
    }

    @Test
    void reportsTheMedianOfRoundsAndCpuPerRequest() throws Exception {
        Summary.Figures porter = summary().jobs.get(Job.PLAINTEXT_C64).get("porter");
        assertThat(porter.throughput()).isCloseTo(90_000, within(0.001));
        assertThat(porter.p99Us()).isEqualTo(600);
        assertThat(porter.cpuUsPerRequest()).isCloseTo(1.0, within(0.001));
    }

    @Test
    void ratioIsPorterOverTheBestPeerNotOverItself() throws Exception {
        Summary summary = summary();
        assertThat(summary.porterRatio(Job.PLAINTEXT_C64)).isCloseTo(0.75, within(0.0001));
        assertThat(summary.best(Job.PLAINTEXT_C64)).isEqualTo("nginx");
        assertThat(summary.porterRatio(Job.STATIC_1M)).isNaN();
    }

    @Test
    void reportsBytesPerSecondForTheLargeFile() throws Exception {
        assertThat(summary().jobs.get(Job.STATIC_1M).get("netty").throughput()).isCloseTo(1e9, within(1.0));
    }

    @Test
    void countsErrorsAndNon2xxAnswers() throws Exception {
        assertThat(summary().jobs.get(Job.PLAINTEXT_C64).get("netty").errors()).isEqualTo(2);
    }

    @Test
    void idleFiguresArePerOpenedConnection() throws Exception {
        Summary summary = summary();
        Summary.IdleFigures porter = summary.idle.get("porter");
        assertThat(porter.rssPerConn()).isCloseTo(4096, within(0.001));
        assertThat(porter.heapPerConn()).isCloseTo(2000, within(0.001));
        assertThat(porter.kept()).isCloseTo(0.9, within(0.0001));
        assertThat(summary.idle.get("nginx").heapPerConn()).isNaN();
        // memory: Porter over the lowest peer, 4096 / 1024
        assertThat(summary.porterIdleRatio(Summary.IdleFigures::rssPerConn, false)).isCloseTo(4.0, within(0.0001));
    }

    @Test
    void tableNamesServersThatDidNotRun() throws Exception {
        String table = new TextTable(summary()).render();
        assertThat(table).contains("not available").contains("jdk: not available (exited)").contains("0.75");
    }

    @Test
    void chartIsWellFormedSvgWithABarPerMeasuredServer() throws Exception {
        String svg = new SvgChart(summary()).render();
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
            .parse(new InputSource(new StringReader(svg)));
        assertThat(doc.getDocumentElement().getNodeName()).isEqualTo("svg");
        assertThat(svg).contains("<title>nginx, plaintext c=64:").contains("jdk (not available)");
    }

    @Test
    void jsonCarriesTheRatioAndNullForMissingFigures() throws Exception {
        String json = new JsonReport(summary()).render();
        assertThat(json).contains("\"porter_to_best_peer\": 0.7500").contains("\"live_heap_bytes_per_connection\": null");
    }
}
