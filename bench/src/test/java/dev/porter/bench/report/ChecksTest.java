package dev.porter.bench.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ChecksTest {

    private static final Results.Preflight PLAIN_OK = new Results.Preflight(200, 13, 120, "1.1");

    /** A wrk run of the job with {@code perAnswer} bytes read per answer. */
    private static Checks.Sample wrk(long requests, long perAnswer) {
        return new Checks.Sample(requests, requests * perAnswer, -1, 0, 0);
    }

    @Test
    void aCleanRunPasses() {
        assertThat(Checks.problems(Job.PLAINTEXT_C64, PLAIN_OK, true, List.of(wrk(100_000, 150), wrk(90_000, 150)))).isEmpty();
    }

    @Test
    void aPreflightThatWasNot2xxIsAnError() {
        List<String> problems = Checks.problems(Job.PLAINTEXT_C64, new Results.Preflight(403, 146, 150, "1.1"), true,
            List.of(wrk(100_000, 150)));
        assertThat(problems).containsExactly("preflight: status 403", "preflight: a 146-byte body, not 13");
    }

    @Test
    void aPreflightBodyOfTheWrongSizeIsAnError() {
        assertThat(Checks.problems(Job.STATIC_1K, new Results.Preflight(200, 1000, 200, "1.1"), true,
            List.of(wrk(10_000, 1200)))).containsExactly("preflight: a 1000-byte body, not 1024");
    }

    @Test
    void aServerThatDidNotAnswerThePreflightIsAnError() {
        assertThat(Checks.problems(Job.PLAINTEXT_C64, new Results.Preflight(0, 0, 0, ""), true, List.of(wrk(1000, 150))))
            .containsExactly("preflight: no answer");
    }

    @Test
    void aMissingPreflightIsAnErrorOnlyWhenTheRunRecordedPreflights() {
        assertThat(Checks.problems(Job.PLAINTEXT_C64, null, true, List.of(wrk(1000, 150))))
            .containsExactly("no preflight answer recorded");
        assertThat(Checks.problems(Job.PLAINTEXT_C64, null, false, List.of(wrk(1000, 150)))).isEmpty();
    }

    @Test
    void socketErrorsNon2xxAnswersAndEmptyRunsAreErrors() {
        List<String> problems = Checks.problems(Job.PLAINTEXT_C64, PLAIN_OK, true, List.of(
            new Checks.Sample(1000, 150_000, -1, 2, 0), new Checks.Sample(1000, 150_000, -1, 0, 7),
            new Checks.Sample(0, 0, -1, 1, 0)));
        assertThat(problems).containsExactly("3 socket errors or failed requests", "7 non-2xx answers",
            "1 of 3 runs had no answer");
    }

    @Test
    void fewerBytesThanTheBodiesIsAnError() {
        // a server answering with empty bodies, fast: 5 bytes per answer cannot hold a 13-byte body
        assertThat(Checks.problems(Job.PLAINTEXT_C64, PLAIN_OK, true, List.of(wrk(100_000, 150), wrk(100_000, 5))))
            .containsExactly("1 of 2 runs read fewer bytes than 13 per answer (5.0)");
    }

    @Test
    void moreBytesThanBodiesAndAKibibyteOfHeadIsAnError() {
        // 2,000 bytes per 13-byte answer, far beyond what the answers in flight at the end could add
        assertThat(Checks.problems(Job.PLAINTEXT_C64, PLAIN_OK, true, List.of(wrk(100_000, 2000))))
            .containsExactly("1 of 1 runs read more bytes than 13 + 1 KiB of head per answer (2000.0)");
    }

    @Test
    void theBytesOfAnswersInFlightAtTheEndAreAllowed() {
        Results.Preflight big = new Results.Preflight(200, 1 << 20, 200, "1.1");
        // 1,000 answers of 1 MiB read, plus 32 connections each half-way through one more
        long bytes = 1000L * ((1 << 20) + 200) + 32L * (1 << 19);
        assertThat(Checks.problems(Job.STATIC_1M, big, true, List.of(new Checks.Sample(1000, bytes, -1, 0, 0)))).isEmpty();
        // but not two more each
        long tooMany = 1000L * ((1 << 20) + 200) + 64L * ((1 << 20) + 1024);
        assertThat(Checks.problems(Job.STATIC_1M, big, true, List.of(new Checks.Sample(1000, tooMany, -1, 0, 0))))
            .hasSize(1).first().asString().startsWith("1 of 1 runs read more bytes");
    }

    @Test
    void http2DataBytesMustBeTheBodies() {
        Results.Preflight h2 = new Results.Preflight(200, 13, 0, "2");
        assertThat(Checks.problems(Job.H2C_PLAINTEXT_C10M10, h2, true,
            List.of(new Checks.Sample(50_000, 2_000_000, 50_000 * 13, 0, 0)))).isEmpty();
        // 100 streams in flight at the end may have brought their bodies in
        assertThat(Checks.problems(Job.H2C_PLAINTEXT_C10M10, h2, true,
            List.of(new Checks.Sample(50_000, 2_000_000, 50_100 * 13, 0, 0)))).isEmpty();
        assertThat(Checks.problems(Job.H2C_PLAINTEXT_C10M10, h2, true,
            List.of(new Checks.Sample(50_000, 2_000_000, 50_000 * 9, 0, 0))))
            .containsExactly("1 of 1 runs read fewer body bytes than 13 per answer (9.0)");
        assertThat(Checks.problems(Job.H2C_PLAINTEXT_C10M10, h2, true,
            List.of(new Checks.Sample(50_000, 2_000_000, 50_000 * 20, 0, 0))))
            .containsExactly("1 of 1 runs read more body bytes than 13 per answer (20.0)");
        // an older run did not record h2load's data bytes: nothing to check them against
        assertThat(Checks.problems(Job.H2C_PLAINTEXT_C10M10, h2, true,
            List.of(new Checks.Sample(50_000, 2_000_000, -1, 0, 0)))).isEmpty();
    }

    @Test
    void anHttp2PreflightMustBeAnsweredOverHttp2() {
        assertThat(Checks.problems(Job.H2_PLAINTEXT_C64M1, new Results.Preflight(200, 13, 100, "1.1"), true,
            List.of(new Checks.Sample(1000, 40_000, 13_000, 0, 0))))
            .containsExactly("preflight: answered over HTTP/1.1, not HTTP/2");
    }

    @Test
    void webSocketJobsAreCheckedByTheirErrorsAlone() {
        // no preflight (the readiness check's 101 is one) and no byte count: WsLoad checks every echo itself
        assertThat(Checks.problems(Job.WS_ECHO_64B, null, true, List.of(new Checks.Sample(1000, 0, -1, 0, 0)))).isEmpty();
        assertThat(Checks.problems(Job.WS_ECHO_64B, null, true, List.of(new Checks.Sample(1000, 0, -1, 4, 0))))
            .hasSize(1).first().asString().startsWith("4 errors");
    }
}
