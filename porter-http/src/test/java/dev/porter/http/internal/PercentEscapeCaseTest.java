package dev.porter.http.internal;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The Router's two helpers for RFC 3986 §6.2.2.1 (the case of an escape's hex digits), on their edges. */
class PercentEscapeCaseTest {

    @Test
    void upperCaseEscapesChangesOnlyTheHexDigitsOfEscapes() {
        String plain = "/plain/path";
        assertThat(Targets.upperCaseEscapes(plain)).isSameAs(plain);
        String upper = "/caf%C3%A9";
        assertThat(Targets.upperCaseEscapes(upper)).as("nothing to change: no copy").isSameAs(upper);
        assertThat(Targets.upperCaseEscapes("/caf%c3%a9")).isEqualTo("/caf%C3%A9");
        assertThat(Targets.upperCaseEscapes("/a%2fb%7e")).isEqualTo("/a%2Fb%7E");
        assertThat(Targets.upperCaseEscapes("/abc%zz%%ab%a")).as("not escapes: left as they are").isEqualTo("/abc%zz%%AB%a");
        assertThat(Targets.upperCaseEscapes("/Café%e9x")).isEqualTo("/Café%E9x");
    }

    @Test
    void sameEscapedComparesEscapesWithoutCaseAndTheRestExactly() {
        assertThat(Targets.sameEscaped("/x/caf%c3%a9/y", 3, "caf%C3%A9")).isTrue();
        assertThat(Targets.sameEscaped("/x/caf%C3%A9/y", 3, "caf%C3%A9")).isTrue();
        assertThat(Targets.sameEscaped("/x/CAF%c3%a9/y", 3, "caf%C3%A9")).as("letters outside escapes").isFalse();
        assertThat(Targets.sameEscaped("/x/caf%c3%a8/y", 3, "caf%C3%A9")).isFalse();
        assertThat(Targets.sameEscaped("/x/cafac3%a9/y", 3, "caf%C3%A9")).as("a % is a %").isFalse();
        assertThat(Targets.sameEscaped("/x/caf%c3%a9/y", 3, "caf%C3%AB")).isFalse();
    }
}
