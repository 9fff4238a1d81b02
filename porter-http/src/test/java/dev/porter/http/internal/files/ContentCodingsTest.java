package dev.porter.http.internal.files;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Accept-Encoding weights for br and gzip (RFC 9110 §12.5.3). */
class ContentCodingsTest {

    private static ContentCodings.Accepted parse(String... fields) {
        return ContentCodings.parse(List.of(fields));
    }

    @Test
    void listedCodingsWeighOneUnlessTold() {
        assertThat(parse("gzip, deflate, br")).isEqualTo(new ContentCodings.Accepted(1000, 1000));
        assertThat(parse("br;q=0.5, GZIP;Q=0.25")).isEqualTo(new ContentCodings.Accepted(500, 250));
        assertThat(parse("gzip", "br ; q=0.1")).isEqualTo(new ContentCodings.Accepted(100, 1000));
        assertThat(parse("x-gzip;q=0.7")).isEqualTo(new ContentCodings.Accepted(0, 700));
    }

    @Test
    void zeroMeansRefusedAndTheWildcardCoversTheRest() {
        assertThat(parse("br;q=0, *")).isEqualTo(new ContentCodings.Accepted(0, 1000));
        assertThat(parse("*;q=0.3")).isEqualTo(new ContentCodings.Accepted(300, 300));
        assertThat(parse("*;q=0, identity")).isEqualTo(ContentCodings.Accepted.IDENTITY_ONLY);
    }

    @Test
    void noHeaderAnEmptyOneOrGarbageMeanIdentity() {
        assertThat(ContentCodings.parse(List.of())).isEqualTo(ContentCodings.Accepted.IDENTITY_ONLY);
        assertThat(parse("")).isEqualTo(ContentCodings.Accepted.IDENTITY_ONLY);
        assertThat(parse("identity")).isEqualTo(ContentCodings.Accepted.IDENTITY_ONLY);
        assertThat(parse("br;q=2, gzip;q=0.5.5, br;level=3")).isEqualTo(ContentCodings.Accepted.IDENTITY_ONLY);
    }

    @Test
    void acceptsEveryValidQvalueForm() {
        assertThat(parse("br;q=1.000").br()).isEqualTo(1000);
        assertThat(parse("br;q=1.").br()).isEqualTo(1000);
        assertThat(parse("br;q=0.001").br()).isEqualTo(1);
        assertThat(parse("br;q=1.001").br()).isZero();
        assertThat(parse("br;q=0.0001").br()).isZero();
    }
}
