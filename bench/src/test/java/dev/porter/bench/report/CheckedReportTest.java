package dev.porter.bench.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xml.sax.InputSource;

/** The report of a run whose fastest peer answered 403s: an error, never the anchor of Porter's ratio. */
class CheckedReportTest {

    @TempDir
    Path dir;

    /**
     * porter, nginx and netty. nginx's /plaintext answered 403 (146-byte bodies) at 200k/s: its preflight says so, and
     * its runs read about 300 bytes per answer with every answer non-2xx. netty's idle load had non-2xx answers.
     */
    private Summary summary(boolean loaded) throws Exception {
        Files.writeString(dir.resolve("meta.properties"), "date=2026-01-01T00:00:00Z\nmode=full\nrounds=1\nclk_tck=100\n");
        Files.writeString(dir.resolve("servers.tsv"), "porter\tok\nnginx\tok\nnetty\tok\n");
        Files.writeString(dir.resolve("preflight.tsv"), String.join("\n",
            "server\tjob\tstatus\tbody_bytes\thead_bytes\thttp_version",
            "porter\tplaintext-c64\t200\t13\t120\t1.1",
            "nginx\tplaintext-c64\t403\t146\t150\t1.1",
            "netty\tplaintext-c64\t200\t13\t100\t1.1",
            "porter\tstatic-1k\t200\t1024\t200\t1.1",
            "nginx\tstatic-1k\t200\t1024\t200\t1.1",
            "porter\tplaintext-c64-loaded\t200\t13\t120\t1.1",
            "nginx\tplaintext-c64-loaded\t200\t13\t120\t1.1",
            "netty\tplaintext-c64-loaded\t200\t13\t100\t1.1",
            ""));
        StringBuilder runs = new StringBuilder("server\tjob\tround\trequests\tduration_us\tbytes\tp99_us\tcpu_ticks\terrors\tnon2xx\n");
        runs.append("porter\tplaintext-c64\t1\t90000\t1000000\t12150000\t500\t18\t0\t0\n");
        runs.append("nginx\tplaintext-c64\t1\t200000\t1000000\t60000000\t300\t10\t0\t200000\n");
        runs.append("netty\tplaintext-c64\t1\t100000\t1000000\t11300000\t300\t15\t0\t0\n");
        runs.append("porter\tstatic-1k\t1\t50000\t1000000\t61200000\t500\t10\t0\t0\n");
        // nginx's static 1 KiB: the preflight was right, but its runs read 600 bytes per answer
        runs.append("nginx\tstatic-1k\t1\t80000\t1000000\t48000000\t300\t10\t0\t0\n");
        if (loaded) {
            runs.append("porter\tplaintext-c64-loaded\t1\t60000\t1000000\t8100000\t900\t12\t0\t0\n");
            runs.append("nginx\tplaintext-c64-loaded\t1\t45000\t1000000\t6075000\t900\t12\t0\t0\n");
            runs.append("netty\tplaintext-c64-loaded\t1\t50000\t1000000\t5650000\t900\t12\t0\t0\n");
        }
        Files.writeString(dir.resolve("runs.tsv"), runs);
        Files.writeString(dir.resolve("idle.tsv"), String.join("\n",
            "server\tconnections\topened\talive\trss_before_kb\trss_after_kb\theap_before\theap_after\trequests\tduration_us\tbytes\tp99_us\tcpu_ticks\terrors\tnon2xx",
            // porter: 800 B of live heap per connection; 85k/s with them held, 0.94 of its own 90k
            "porter\t1000\t1000\t1000\t1000\t3000\t1000000\t1800000\t85000\t1000000\t11475000\t900\t9\t0\t0",
            "netty\t1000\t1000\t1000\t1000\t3000\t1000000\t3000000\t95000\t1000000\t10735000\t900\t9\t0\t12",
            ""));
        return new Summary(Results.load(dir));
    }

    @Test
    void aPeerAnswering403sIsNeverTheBestPeer() throws Exception {
        Summary summary = summary(true);
        Summary.Figures nginx = summary.jobs.get(Job.PLAINTEXT_C64).get("nginx");
        assertThat(nginx.ok()).isFalse();
        assertThat(nginx.problems()).contains("preflight: status 403", "preflight: a 146-byte body, not 13",
            "200000 non-2xx answers");
        // 90k over netty's 100k, not over nginx's 200k of 403s
        assertThat(summary.bestPeer(Job.PLAINTEXT_C64)).isCloseTo(100_000, within(0.001));
        assertThat(summary.porterRatio(Job.PLAINTEXT_C64)).isCloseTo(0.9, within(0.0001));
        assertThat(summary.best(Job.PLAINTEXT_C64)).isEqualTo("netty");
        assertThat(summary.porterToNginx(Job.PLAINTEXT_C64)).isNaN();
    }

    @Test
    void aPeerWhoseBytesDoNotMatchTheBodySizeIsAnErrorToo() throws Exception {
        Summary summary = summary(true);
        assertThat(summary.jobs.get(Job.STATIC_1K).get("nginx").problems())
            .containsExactly("1 of 1 runs read fewer bytes than 1024 per answer (600.0)");
        // no other peer: no ratio at all, rather than one against a wrong figure
        assertThat(summary.porterRatio(Job.STATIC_1K)).isNaN();
        assertThat(summary.best(Job.STATIC_1K)).isEqualTo("porter");
    }

    @Test
    void anErrorCellShowsErrorAndItsReasonsUnderTheTable() throws Exception {
        String table = new TextTable(summary(true)).render();
        String row = table.lines().filter(l -> l.startsWith("plaintext c=64 ")).findFirst().orElseThrow();
        assertThat(row).contains("| error ").doesNotContain("200.0k").endsWith("0.90");
        assertThat(table).contains("nginx plaintext c=64: error: preflight: status 403; preflight: a 146-byte body, not 13; "
            + "200000 non-2xx answers")
            .contains("nginx static 1 KiB c=32: error: 1 of 1 runs read fewer bytes than 1024 per answer (600.0)")
            .contains("netty idle 1000: plaintext c=64: error: 12 non-2xx answers");
        String md = new MarkdownReport(summary(true)).render();
        assertThat(md).contains("| *error* |").contains("- nginx, plaintext c=64: error: preflight: status 403")
            .doesNotContain("200.0k");
        String json = new JsonReport(summary(true)).render();
        assertThat(json).contains("\"nginx\": {\"check\": \"error\", \"problems\": [\"preflight: status 403\"")
            .contains("\"throughput\": null").contains("\"porter\": {\"check\": \"ok\", \"problems\": []");
        String svg = new SvgChart(summary(true)).render();
        DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(new InputSource(new StringReader(svg)));
        assertThat(svg).contains("<title>netty, plaintext c=64:").doesNotContain("<title>nginx, plaintext c=64:");
    }

    @Test
    void anIdleLoadWithErrorsKeepsNoFigure() throws Exception {
        Summary summary = summary(true);
        assertThat(summary.idle.get("netty").kept()).isNaN();
        assertThat(TextTable.kept(summary.idle.get("netty"))).isEqualTo("error");
        assertThat(summary.idle.get("porter").kept()).isCloseTo(85.0 / 90, within(0.0001));
    }

    @Test
    void theLoadedJobHasItsRowAndRatio() throws Exception {
        Summary summary = summary(true);
        assertThat(summary.porterRatio(Job.PLAINTEXT_C64_LOADED)).isCloseTo(1.2, within(0.0001));
        assertThat(new TextTable(summary).render()).contains("plaintext c=64 loaded").contains("CPU hog pinned to core 1");
        assertThat(new MarkdownReport(summary).render()).contains("| plaintext c=64 loaded |");
        assertThat(new SvgChart(summary).render()).contains("<title>porter, plaintext c=64 CPU hog:");
        // without it (--no-loaded) there is no such row
        Summary without = summary(false);
        String table = new TextTable(without).render();
        assertThat(table.lines().filter(l -> l.startsWith("plaintext c=64 loaded ") && l.contains(" | "))).isEmpty();
        assertThat(table).doesNotContain("CPU hog");
        String md = new MarkdownReport(without).render();
        assertThat(md.lines().filter(l -> l.startsWith("| plaintext c=64 loaded |") && !l.contains("≥"))).isEmpty();
        assertThat(md).doesNotContain("*loaded*").contains("| plaintext c=64 loaded | Porter ÷ best peer ≥ 1.0 | not measured |");
    }

    @Test
    void theTargetsTableGivesEachMeasuredValueAndWhetherItIsMet() throws Exception {
        Summary summary = summary(true);
        var targets = Targets.of(summary);
        assertThat(targets).extracting(Targets.Target::name).containsExactly("plaintext c=64", "plaintext c=256",
            "pipelined 16 deep c=64", "static 1 KiB c=32", "static 1 MiB c=32", "idle 1000 connections held",
            "CPU per plaintext request", "live heap per idle connection", "plaintext c=64 loaded",
            "pipelined 16 deep loaded");
        assertThat(targets.get(0).value()).isEqualTo("0.90");
        assertThat(targets.get(0).met()).isFalse();
        assertThat(targets.get(1).met()).isNull(); // not run
        assertThat(targets.get(5).value()).isEqualTo("0.94");
        assertThat(targets.get(5).met()).isTrue();
        assertThat(targets.get(6).met()).isNull(); // nginx's plaintext is an error: nothing to compare with
        assertThat(targets.get(7).value()).isEqualTo("800 B");
        assertThat(targets.get(7).met()).isTrue();
        assertThat(targets.get(8).met()).isTrue();
        String md = new MarkdownReport(summary).render();
        assertThat(md.indexOf("## Targets of issue #15")).isLessThan(md.indexOf("## HTTP/1.1\n\n| job |"));
        assertThat(md).contains("## Targets of issue #15").contains("| plaintext c=64 | Porter ÷ best peer ≥ 1.0 | 0.90 | not met |")
            .contains("| live heap per idle connection | ≤ 1 KiB | 800 B | **met** |")
            .contains("| static 1 MiB c=32 | Porter ÷ best peer ≥ 1.0 | not measured | n/a |");
        assertThat(new JsonReport(summary).render()).contains("\"targets\": [")
            .contains("{\"target\": \"plaintext c=64 loaded\", \"goal\": \"Porter ÷ best peer ≥ 1.0\", \"measured\": \"1.20\", \"met\": true}");
    }

    @Test
    void theCpuTargetComparesWithNginxsCpuPerRequest() throws Exception {
        summary(true);
        // nginx answering properly this time: 200k requests of 13-byte bodies, 10 ticks = 0.5 us each; porter 2 us
        Files.writeString(dir.resolve("preflight.tsv"), Files.readString(dir.resolve("preflight.tsv"))
            .replace("nginx\tplaintext-c64\t403\t146", "nginx\tplaintext-c64\t200\t13"));
        Files.writeString(dir.resolve("runs.tsv"), Files.readString(dir.resolve("runs.tsv"))
            .replace("\t60000000\t300\t10\t0\t200000", "\t30000000\t300\t10\t0\t0"));
        Targets.Target cpu = Targets.of(new Summary(Results.load(dir))).get(6);
        assertThat(cpu.value()).isEqualTo("2.0 µs vs nginx 0.5 µs (4.00)");
        assertThat(cpu.met()).isFalse();
    }
}
