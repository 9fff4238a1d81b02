package dev.porter.http.internal.files;

import dev.porter.http.Headers;
import dev.porter.http.internal.files.FileChoice.Variant;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How a static file is answered, decided without sockets or files: variants are made up (nothing is opened),
 * the time is fixed. The same rules over real sockets are in the {@code StaticFiles*Test} classes.
 */
class FileChoiceTest {

    private static final long NOW = 1_700_000_000L;
    private static final long MODIFIED = NOW - 3600;
    private static final Variant APP = new Variant(Path.of("app.js"), 5000, "\"1388-abc\"", MODIFIED, null, false);
    private static final Variant BR = new Variant(Path.of("app.js.br"), 900, "\"384-abc-br\"", MODIFIED, "br", false);
    private static final Variant GZ = new Variant(Path.of("app.js.gz"), 1200, "\"4b0-abc-gzip\"", MODIFIED, "gzip", false);
    private static final FileConfig PLAIN = new FileConfig("index.html", "no-cache", true, false, 1024, Duration.ZERO);
    private static final FileConfig GZIP = new FileConfig("index.html", "no-cache", true, true, 1024, Duration.ZERO);

    private static Headers fields(String... nameValue) {
        Headers h = new Headers();
        for (int i = 0; i < nameValue.length; i += 2) h.add(nameValue[i], nameValue[i + 1]);
        return h;
    }

    private static FileChoice get(Headers request, Variant br, Variant gz, FileConfig config) {
        return FileChoice.choose("GET", request, "app.js", APP, br, gz, config, NOW);
    }

    @Test
    void sendsTheWholeFileWhenNothingElseApplies() {
        FileChoice c = get(fields(), null, null, PLAIN);
        assertThat(c).isEqualTo(new FileChoice(APP, "text/javascript; charset=utf-8", false,
                Conditionals.Outcome.PROCEED, new Ranges.Ignore()));
    }

    @Test
    void prefersBrotliOnATieAndVariesOnAcceptEncoding() {
        assertThat(get(fields("Accept-Encoding", "gzip, br"), BR, GZ, PLAIN).variant()).isEqualTo(BR);
        assertThat(get(fields("Accept-Encoding", "br;q=0.5, gzip"), BR, GZ, PLAIN).variant()).isEqualTo(GZ);
        FileChoice refused = get(fields("Accept-Encoding", "br;q=0, gzip;q=0"), BR, GZ, PLAIN);
        assertThat(refused.variant()).isEqualTo(APP);
        assertThat(refused.varies()).as("another Accept-Encoding would get a sibling").isTrue();
    }

    @Test
    void servesRangesFromTheFileItselfEvenWhenASiblingIsAccepted() {
        FileChoice c = get(fields("Accept-Encoding", "br", "Range", "bytes=0-99"), BR, null, PLAIN);
        assertThat(c.variant()).isEqualTo(APP);
        assertThat(c.ranges()).isEqualTo(new Ranges.Satisfiable(List.of(new Ranges.Slice(0, 99))));
    }

    @Test
    void choosesUnsatisfiableForARangeBeyondTheEnd() {
        assertThat(get(fields("Range", "bytes=5000-"), null, null, PLAIN).ranges()).isInstanceOf(Ranges.Unsatisfiable.class);
    }

    @Test
    void ignoresRangeOnHeadAndWhenIfRangeDoesNotMatch() {
        FileChoice head = FileChoice.choose("HEAD", fields("Range", "bytes=0-9"), "app.js", APP, null, null, PLAIN, NOW);
        assertThat(head.ranges()).isInstanceOf(Ranges.Ignore.class);
        FileChoice stale = get(fields("Range", "bytes=0-9", "If-Range", "\"other\""), null, null, PLAIN);
        assertThat(stale.ranges()).isInstanceOf(Ranges.Ignore.class);
        FileChoice current = get(fields("Range", "bytes=0-9", "If-Range", APP.etag()), null, null, PLAIN);
        assertThat(current.ranges()).isInstanceOf(Ranges.Satisfiable.class);
    }

    @Test
    void answersNotModifiedForTheChosenVariantsTagAndSendsNoRanges() {
        FileChoice c = get(fields("Accept-Encoding", "br", "If-None-Match", BR.etag(), "Range", "bytes=0-9"), BR, null, PLAIN);
        assertThat(c.precondition()).as("a Range request gets the file, whose tag is not br's").isEqualTo(Conditionals.Outcome.PROCEED);
        FileChoice cached = get(fields("Accept-Encoding", "br", "If-None-Match", BR.etag()), BR, null, PLAIN);
        assertThat(cached.variant()).isEqualTo(BR);
        assertThat(cached.precondition()).isEqualTo(Conditionals.Outcome.NOT_MODIFIED);
        assertThat(cached.ranges()).isInstanceOf(Ranges.Ignore.class);
    }

    @Test
    void failsThePreconditionWhenIfMatchNamesAnotherTag() {
        FileChoice c = get(fields("If-Match", "\"other\"", "Range", "bytes=0-9"), null, null, PLAIN);
        assertThat(c.precondition()).isEqualTo(Conditionals.Outcome.PRECONDITION_FAILED);
        assertThat(c.ranges()).isInstanceOf(Ranges.Ignore.class);
    }

    @Test
    void gzipsCompressibleFilesOnTheFlyWithAWeakTag() {
        FileChoice c = get(fields("Accept-Encoding", "gzip"), null, null, GZIP);
        assertThat(c.variant().onTheFly()).isTrue();
        assertThat(c.variant().encoding()).isEqualTo("gzip");
        assertThat(c.variant().etag()).isEqualTo("W/\"1388-abc-gzip\"");
        assertThat(c.variant().length()).as("the bytes read from the file").isEqualTo(APP.length());
        assertThat(c.varies()).isTrue();
    }

    @Test
    void sendsSmallOrIncompressibleFilesAsTheyAre() {
        Variant small = new Variant(Path.of("a.js"), 100, "\"64-abc\"", MODIFIED, null, false);
        FileChoice tiny = FileChoice.choose("GET", fields("Accept-Encoding", "gzip"), "a.js", small, null, null, GZIP, NOW);
        assertThat(tiny.variant()).isEqualTo(small);
        assertThat(tiny.varies()).as("no Accept-Encoding could change it").isFalse();
        FileChoice png = FileChoice.choose("GET", fields("Accept-Encoding", "gzip"), "a.png", APP, null, null, GZIP, NOW);
        assertThat(png.variant()).isEqualTo(APP);
        assertThat(png.type()).isEqualTo("image/png");
    }

    @Test
    void prefersAFreshSiblingToGzippingOnTheFly() {
        assertThat(get(fields("Accept-Encoding", "gzip"), null, GZ, GZIP).variant()).isEqualTo(GZ);
        FileChoice range = get(fields("Accept-Encoding", "gzip", "Range", "bytes=0-9"), null, null, GZIP);
        assertThat(range.variant()).as("ranges are never compressed").isEqualTo(APP);
        assertThat(range.varies()).isTrue();
    }
}
