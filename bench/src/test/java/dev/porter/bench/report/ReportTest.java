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
            "porter\tplaintext-c64\t1\t90000\t1000000\t13500000\t500\t9\t0\t0",
            "porter\tplaintext-c64\t2\t100000\t1000000\t15000000\t700\t10\t0\t0",
            "porter\tplaintext-c64\t3\t80000\t1000000\t12000000\t600\t8\t0\t0",
            "nginx\tplaintext-c64\t1\t120000\t1000000\t18000000\t400\t12\t0\t0",
            "netty\tplaintext-c64\t1\t100000\t1000000\t15000000\t300\t10\t0\t2",
            "netty\tstatic-1m\t1\t1900\t2000000\t2000000000\t300\t10\t0\t0",
            "netty\tsome-future-job\t1\t1\t1\t1\t1\t1\t0\t0",
            ""));
        Files.writeString(dir.resolve("idle.tsv"), String.join("\n",
            "server\tconnections\topened\talive\trss_before_kb\trss_after_kb\theap_before\theap_after\trequests\tduration_us\tbytes\tp99_us\tcpu_ticks\terrors\tnon2xx",
            "porter\t1000\t1000\t1000\t1000\t5000\t1000000\t3000000\t81000\t1000000\t12150000\t900\t9\t0\t0",
            "nginx\t1000\t1000\t1000\t1000\t2000\t-1\t-1\t120000\t1000000\t18000000\t400\t12\t0\t0",
            ""));
        return new Summary(Results.load(dir));
    }

    /** The same run with the TLS jobs: five TLS instances, nginx the fastest, netty-openssl faster than the JDK peers. */
    private Summary withTls() throws Exception {
        summary();
        Files.writeString(dir.resolve("tls-servers.tsv"), String.join("\n",
            "porter\tok\tTLSv1.3 TLS_AES_256_GCM_SHA384 X25519, no resumption",
            "nginx\tok\tTLSv1.3 TLS_AES_256_GCM_SHA384 X25519, resumes sessions",
            "jetty\tok\tTLSv1.3 TLS_AES_256_GCM_SHA384 X25519, resumes sessions",
            "netty\tok\t",
            "netty-openssl\tok\tTLSv1.3 TLS_AES_256_GCM_SHA384 X25519, resumes sessions",
            ""));
        Files.writeString(dir.resolve("runs.tsv"), String.join("\n",
            "porter\ttls-plaintext-c64\t1\t40000\t1000000\t6000000\t500\t8\t0\t0",
            "nginx\ttls-plaintext-c64\t1\t80000\t1000000\t12000000\t400\t8\t0\t0",
            "jetty\ttls-plaintext-c64\t1\t50000\t1000000\t7500000\t400\t8\t0\t0",
            "netty\ttls-plaintext-c64\t1\t32000\t1000000\t4800000\t400\t8\t0\t0",
            "netty-openssl\ttls-plaintext-c64\t1\t64000\t1000000\t9600000\t400\t8\t0\t0",
            "porter\ttls-new-conn\t1\t1000\t1000000\t150000\t500\t20\t0\t0",
            "nginx\ttls-new-conn\t1\t4000\t1000000\t600000\t500\t20\t0\t0",
            ""), java.nio.file.StandardOpenOption.APPEND);
        return new Summary(Results.load(dir));
    }

    /** An HTTP/2-only run (bench/run --h2-only): porter, nginx, jetty, netty and h2o over h2c and h2. */
    private Summary withHttp2() throws Exception {
        Files.writeString(dir.resolve("meta.properties"), "date=2026-01-01T00:00:00Z\nmode=quick\nrounds=1\nclk_tck=100\nh2load=1.52.0\nh2o=2.2.5\n");
        Files.writeString(dir.resolve("servers.tsv"), "");
        Files.writeString(dir.resolve("idle.tsv"), "server\tconnections\n");
        Files.writeString(dir.resolve("h2-servers.tsv"), String.join("\n",
            "porter\tok\tok\tTLSv1.3 TLS_AES_256_GCM_SHA384 X25519, h2",
            "nginx\tok\tok\tTLSv1.3 TLS_AES_256_GCM_SHA384 X25519, h2",
            "jetty\tok\tok\t",
            "netty\tok\tnot available (no answer on /plaintext within 30 s)\t",
            "h2o\tok\tok\t",
            ""));
        Files.writeString(dir.resolve("runs.tsv"), String.join("\n",
            "server\tjob\tround\trequests\tduration_us\tbytes\tp99_us\tcpu_ticks\terrors\tnon2xx",
            "porter\th2c-plaintext-c10m10\t1\t60000\t1000000\t0\t2000\t30\t0\t0",
            "nginx\th2c-plaintext-c10m10\t1\t120000\t1000000\t0\t900\t30\t0\t0",
            "jetty\th2c-plaintext-c10m10\t1\t40000\t1000000\t0\t3000\t30\t0\t0",
            "netty\th2c-plaintext-c10m10\t1\t50000\t1000000\t0\t2500\t30\t0\t0",
            "h2o\th2c-plaintext-c10m10\t1\t200000\t1000000\t0\t500\t30\t0\t0",
            "porter\th2-plaintext-c10m10\t1\t30000\t1000000\t0\t2000\t30\t0\t0",
            "jetty\th2-plaintext-c10m10\t1\t20000\t1000000\t0\t2000\t30\t0\t0",
            "h2o\th2-plaintext-c10m10\t1\t100000\t1000000\t0\t2000\t30\t0\t3",
            ""));
        return new Summary(Results.load(dir));
    }

    @Test
    void http2RatiosAreToTheBestJvmPeerToNginxAndToH2o() throws Exception {
        Summary summary = withHttp2();
        assertThat(summary.h2Servers).containsExactly("porter", "nginx", "jetty", "netty", "h2o");
        assertThat(summary.servers).isEmpty();
        // 60k over netty's 50k (the best of jetty and netty): nginx and h2o are not JVM peers
        assertThat(summary.porterToJvm(Job.H2C_PLAINTEXT_C10M10)).isCloseTo(1.2, within(0.0001));
        assertThat(summary.porterToNginx(Job.H2C_PLAINTEXT_C10M10)).isCloseTo(0.5, within(0.0001));
        assertThat(summary.porterToH2o(Job.H2C_PLAINTEXT_C10M10)).isCloseTo(0.3, within(0.0001));
        assertThat(summary.porterToJvm(Job.H2_PLAINTEXT_C10M10)).isCloseTo(1.5, within(0.0001));
        assertThat(summary.porterToNginx(Job.H2_PLAINTEXT_C10M10)).isNaN();
        assertThat(summary.jobs.get(Job.H2C_PLAINTEXT_C10M10).get("porter").cpuUsPerRequest()).isCloseTo(5, within(0.001));
        assertThat(summary.available("netty", Job.H2C_PLAINTEXT_C10M10)).isTrue();
        assertThat(summary.available("netty", Job.H2_PLAINTEXT_C10M10)).isFalse();
        assertThat(summary.available("h2o")).isTrue();
    }

    @Test
    void http2FiguresReachTheTableMarkdownJsonAndChart() throws Exception {
        Summary summary = withHttp2();
        String table = new TextTable(summary).render();
        assertThat(table).contains("porter/h2o").contains("h2c plaintext c=10 m=10").contains("h2 plaintext c=10 m=10")
            .contains("1.20").contains("0.30").contains("best JVM peer (jetty, netty)")
            .contains("netty (h2): not available (no answer on /plaintext within 30 s)")
            .contains("porter (h2): TLSv1.3 TLS_AES_256_GCM_SHA384 X25519, h2")
            .contains("h2o h2 plaintext c=10 m=10: error: 3 non-2xx answers");
        assertThat(new MarkdownReport(summary).render()).contains("## HTTP/2").contains("Porter ÷ h2o")
            .contains("| h2c static 1 MiB c=8 m=4 |").contains("h2load 1.52.0");
        assertThat(new JsonReport(summary).render()).contains("\"h2c-plaintext-c10m10\"").contains("\"porter_to_h2o\": 0.3000")
            .contains("\"porter_to_best_jvm_peer\": 1.2000").contains("\"table\": \"http2\"")
            .contains("\"netty\": {\"h2c_status\": \"ok\", \"h2_status\": \"not available");
        String svg = new SvgChart(summary).render();
        DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(new InputSource(new StringReader(svg)));
        assertThat(svg).contains("<title>h2o, h2c plaintext c=10 m=10:");
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

    @Test
    void tlsRatiosAreToTheBestJdkTlsPeerAndToNginx() throws Exception {
        Summary summary = withTls();
        assertThat(summary.tlsServers).containsExactly("porter", "nginx", "jetty", "netty", "netty-openssl");
        assertThat(summary.servers).doesNotContain("netty-openssl");
        // 40k over jetty's 50k: netty-openssl (64k, BoringSSL) and nginx are not JVM peers on the JDK's TLS
        assertThat(summary.porterToJvm(Job.TLS_PLAINTEXT_C64)).isCloseTo(0.8, within(0.0001));
        assertThat(summary.porterToNginx(Job.TLS_PLAINTEXT_C64)).isCloseTo(0.5, within(0.0001));
        assertThat(summary.porterToNginx(Job.TLS_NEW_CONN)).isCloseTo(0.25, within(0.0001));
        assertThat(summary.porterToJvm(Job.TLS_NEW_CONN)).isNaN();
        assertThat(summary.jobs.get(Job.TLS_NEW_CONN).get("porter").cpuUsPerRequest()).isCloseTo(200, within(0.001));
        // the cleartext figures are not disturbed
        assertThat(summary.porterRatio(Job.PLAINTEXT_C64)).isCloseTo(0.75, within(0.0001));
    }

    @Test
    void tlsTableHasItsOwnColumnsRatiosAndNegotiatedParameters() throws Exception {
        String table = new TextTable(withTls()).render();
        assertThat(table).contains("porter/jvm").contains("porter/nginx").contains("tls new conn c=64")
            .contains("netty-openssl").contains("0.80").contains("0.50")
            .contains("best JVM peer on the JDK's TLS (jetty, netty)")
            .contains("nginx: TLSv1.3 TLS_AES_256_GCM_SHA384 X25519, resumes sessions");
        String cleartextHeader = table.lines().filter(l -> l.startsWith("job ")).findFirst().orElseThrow();
        assertThat(cleartextHeader).doesNotContain("netty-openssl");
    }

    @Test
    void aTlsInstanceThatDidNotStartIsNamed() throws Exception {
        withTls();
        Files.writeString(dir.resolve("tls-servers.tsv"), "porter\tnot available (exited: Unknown option: '--tls')\t\nnginx\tok\t\n");
        Summary summary = new Summary(Results.load(dir));
        assertThat(new TextTable(summary).render()).contains("porter (TLS): not available (exited: Unknown option: '--tls')");
        assertThat(summary.porterToNginx(Job.TLS_PLAINTEXT_C64)).isCloseTo(0.5, within(0.0001)); // runs.tsv still has figures
    }

    @Test
    void aRunWithoutTlsJobsHasNoTlsTable() throws Exception {
        Summary summary = summary();
        assertThat(summary.tlsServers).isEmpty();
        assertThat(new TextTable(summary).render()).doesNotContain("porter/nginx");
        assertThat(new MarkdownReport(summary).render()).doesNotContain("## TLS");
    }

    @Test
    void tlsFiguresReachMarkdownJsonAndChart() throws Exception {
        Summary summary = withTls();
        assertThat(new MarkdownReport(summary).render()).contains("## TLS").contains("Porter ÷ nginx")
            .contains("| tls plaintext c=64 |");
        assertThat(new JsonReport(summary).render()).contains("\"tls-new-conn\"").contains("\"porter_to_nginx\": 0.2500")
            .contains("\"porter_to_best_jdk_tls_jvm_peer\": 0.8000").contains("\"netty-openssl\": {\"status\": \"ok\"");
        String svg = new SvgChart(summary).render();
        DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(new InputSource(new StringReader(svg)));
        assertThat(svg).contains("<title>netty-openssl, TLS plaintext c=64:");
    }

    /** A WebSocket-only run (bench/run --ws-only): porter, jetty, netty and node; netty had errors in one job. */
    private Summary withWebSocket() throws Exception {
        Files.writeString(dir.resolve("meta.properties"), "date=2026-01-01T00:00:00Z\nmode=quick\nrounds=1\nclk_tck=100\n"
            + "node=20.20.2\nnode_ws=8.23.0\nnode_bufferutil=4.1.0\nws_idle_connections=1000\n");
        Files.writeString(dir.resolve("servers.tsv"), "");
        Files.writeString(dir.resolve("idle.tsv"), "server\tconnections\n");
        Files.writeString(dir.resolve("ws-servers.tsv"), "porter\tok\njetty\tok\nnetty\tok\nnode\tnot available (no node or npm)\n");
        Files.writeString(dir.resolve("runs.tsv"), String.join("\n",
            "server\tjob\tround\trequests\tduration_us\tbytes\tp99_us\tcpu_ticks\terrors\tnon2xx\tclient_cpu_ticks",
            // porter 60k msg/s, 1 ms p99, 100 ticks over 60k messages = 16.7 us each; the client 50 ticks
            "porter\tws-echo-64b\t1\t60000\t1000000\t3840000\t1000\t100\t0\t0\t50",
            "jetty\tws-echo-64b\t1\t40000\t1000000\t2560000\t2000\t100\t0\t0\t40",
            "netty\tws-echo-64b\t1\t50000\t1000000\t3200000\t1500\t100\t0\t0\t45",
            "porter\tws-echo-64k\t1\t2000\t1000000\t131072000\t9000\t100\t0\t0\t30",
            "jetty\tws-echo-64k\t1\t1000\t1000000\t65536000\t9000\t100\t0\t0\t30",
            "netty\tws-echo-64k\t1\t5000\t1000000\t327680000\t9000\t100\t3\t0\t30",
            "porter\tws-echo-64b-k16\t1\t90000\t1000000\t0\t9000\t100\t2\t0\t30",
            "netty\tws-echo-64b-k16\t1\t100000\t1000000\t0\t9000\t100\t0\t0\t30",
            ""));
        Files.writeString(dir.resolve("ws-idle.tsv"), String.join("\n",
            "server\tconnections\topened\talive\trss_before_kb\trss_after_kb\theap_before\theap_after",
            "porter\t1000\t1000\t1000\t100000\t108000\t1000000\t5000000",
            "jetty\t1000\t1000\t990\t100000\t140000\t1000000\t9000000",
            "netty\t1000\t1000\t1000\t100000\t104000\t1000000\t3000000",
            ""));
        return new Summary(Results.load(dir));
    }

    @Test
    void webSocketRatiosLeaveOutRunsWithErrors() throws Exception {
        Summary summary = withWebSocket();
        assertThat(summary.wsServers).containsExactly("porter", "jetty", "netty", "node");
        assertThat(summary.porterRatio(Job.WS_ECHO_64B)).isCloseTo(1.2, within(0.0001));
        // netty's 5000/s had errors: no figure, so the best peer is jetty's 1000/s, and porter is best
        assertThat(summary.porterRatio(Job.WS_ECHO_64K)).isCloseTo(2.0, within(0.0001));
        assertThat(summary.best(Job.WS_ECHO_64K)).isEqualTo("porter");
        // porter's own run had errors: no ratio
        assertThat(summary.porterRatio(Job.WS_ECHO_64B_K16)).isNaN();
        assertThat(summary.jobs.get(Job.WS_ECHO_64B).get("porter").cpuUsPerRequest()).isCloseTo(16.667, within(0.001));
        assertThat(summary.clientCpu.get(Job.WS_ECHO_64B).get("porter")).isCloseTo(8.333, within(0.001));
        assertThat(summary.available("node", Job.WS_ECHO_64B)).isFalse();
        assertThat(summary.available("node")).isFalse();
    }

    @Test
    void webSocketIdleMemoryIsPerConnectionAndPorterOverTheLowestPeer() throws Exception {
        Summary summary = withWebSocket();
        Summary.WsIdleFigures porter = summary.wsIdle.get("porter");
        assertThat(porter.rssPerConn()).isCloseTo(8192, within(0.001));
        assertThat(porter.heapPerConn()).isCloseTo(4000, within(0.001));
        // RSS: 8 KiB over netty's 4 KiB; heap: 4000 over netty's 2000
        assertThat(summary.porterWsIdleRatio(Summary.WsIdleFigures::rssPerConn)).isCloseTo(2.0, within(0.0001));
        assertThat(summary.porterWsIdleRatio(Summary.WsIdleFigures::heapPerConn)).isCloseTo(2.0, within(0.0001));
    }

    @Test
    void webSocketFiguresReachTheTableMarkdownJsonAndChart() throws Exception {
        Summary summary = withWebSocket();
        String table = new TextTable(summary).render();
        assertThat(table).contains("WebSocket (WsLoad").contains("ws echo 64 KiB c=64").contains("error (3)")
            .contains("*60.0k 1.0ms 16.7").contains("ws idle 1000: open").contains("990/1000 open")
            .contains("1000 (all open)").contains("8.0 KiB").contains("node (ws): not available (no node or npm)")
            .contains("client CPU us/message, ws echo 64 B c=64: porter 8.3 jetty 10.0 netty 9.0")
            .contains("netty ws echo 64 KiB c=64: error: 3 errors");
        String md = new MarkdownReport(summary).render();
        assertThat(md).contains("## WebSocket").contains("*error (3)*").contains("| ws idle 1000: RSS/conn |")
            .contains("ws 8.23.0");
        String json = new JsonReport(summary).render();
        assertThat(json).contains("\"ws-echo-64b\"").contains("\"throughput_unit\": \"messages/s\"")
            .contains("\"table\": \"websocket\"").contains("\"client_cpu_us_per_message\": 8.3333")
            .contains("\"ws_idle\"").contains("\"rss_to_lowest_peer\": 2.0000")
            .contains("\"node\": \"not available (no node or npm)\"");
        String svg = new SvgChart(summary).render();
        DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(new InputSource(new StringReader(svg)));
        assertThat(svg).contains("<title>porter, WS echo 64 B c=64:").contains("WS idle: RSS")
            .doesNotContain("<title>netty, WS echo 64 KiB c=64:");
    }

    @Test
    void aRunWithoutWebSocketJobsHasNoWebSocketTable() throws Exception {
        Summary summary = summary();
        assertThat(summary.wsServers).isEmpty();
        assertThat(new TextTable(summary).render()).doesNotContain("WebSocket");
        assertThat(new MarkdownReport(summary).render()).doesNotContain("## WebSocket");
    }
}
