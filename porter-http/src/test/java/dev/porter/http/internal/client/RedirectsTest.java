package dev.porter.http.internal.client;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.URI;

import static org.assertj.core.api.Assertions.assertThat;

/** Location references resolved as RFC 3986 §5.2 says, dot segments removed (§5.2.4). */
class RedirectsTest {

    @ParameterizedTest
    @CsvSource({
            // RFC 3986 §5.4's examples against http://a/b/c/d;p?q, the "abnormal" ones above the root included
            "g, http://a/b/c/g", "./g, http://a/b/c/g", "g/, http://a/b/c/g/", "/g, http://a/g", "., http://a/b/c/",
            "./, http://a/b/c/", ".., http://a/b/", "../, http://a/b/", "../g, http://a/b/g", "../.., http://a/",
            "../../, http://a/", "../../g, http://a/g", "../../../g, http://a/g", "../../../../g, http://a/g",
            "/./g, http://a/g", "/../g, http://a/g", "g., http://a/b/c/g.", ".g, http://a/b/c/.g",
            "g.., http://a/b/c/g..", "..g, http://a/b/c/..g", "./../g, http://a/b/g", "./g/., http://a/b/c/g/",
            "g/./h, http://a/b/c/g/h", "g/../h, http://a/b/c/h", "g;x=1/./y, http://a/b/c/g;x=1/y",
            "g;x=1/../y, http://a/b/c/y", "g?y/./x, http://a/b/c/g?y/./x", "http://x/a/../b/./c, http://x/b/c",
            "/a/b/../../.., http://a/"})
    void resolvesAsRfc3986Section5Point4(String location, String expected) throws Exception {
        assertThat(Redirects.resolve(URI.create("http://a/b/c/d;p?q"), location)).hasToString(expected);
    }

    @ParameterizedTest
    @CsvSource({
            "'/files/a[1].txt', 'http://a/files/a%5B1%5D.txt'",
            "'/s?filter[name]=x', 'http://a/s?filter[name]=x'",
            "'http://[::1]:8080/x[2]/', 'http://[::1]:8080/x%5B2%5D/'",
            "'//h/[y]?[z]', 'http://h/%5By%5D?[z]'"})
    void bracketsInALocationsPathArePercentEncodedAsCurlFollowsThem(String location, String expected) throws Exception {
        // Browsers and curl follow Location: /files/a[1].txt; java.net.URI refuses '[' and ']' in a path (only an
        // IPv6 host and a query may hold them), so the redirect failed with MalformedResponse (porter get -L exit 8).
        assertThat(Redirects.resolve(URI.create("http://a/b/c/d;p?q"), location)).hasToString(expected);
    }
}
