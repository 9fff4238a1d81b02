package dev.porter.http.internal.files;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Sizes, order and escaping of the listing page. */
class DirectoryListingTest {

    private static String size(long bytes) {
        StringBuilder sb = new StringBuilder();
        DirectoryListing.humanSize(sb, bytes);
        return sb.toString();
    }

    @Test
    void sizesReadAsPeopleExpect() {
        assertThat(size(0)).isEqualTo("0 B");
        assertThat(size(1023)).isEqualTo("1023 B");
        assertThat(size(1024)).isEqualTo("1.0 KiB");
        assertThat(size(1536)).isEqualTo("1.5 KiB");
        assertThat(size(1024 * 1024 - 1)).isEqualTo("1.0 MiB");
        assertThat(size(5L << 30)).isEqualTo("5.0 GiB");
        assertThat(size(Long.MAX_VALUE)).isEqualTo("8.0 EiB");
    }

    @Test
    void naturalOrderComparesNumbersByValueAndIgnoresCase() {
        assertThat(NaturalOrder.compare("img2.png", "img10.png")).isNegative();
        assertThat(NaturalOrder.compare("Img2", "img1")).isPositive();
        assertThat(NaturalOrder.compare("a", "B")).isNegative();
        assertThat(NaturalOrder.compare("v007", "v7")).isZero();
        assertThat(NaturalOrder.compare("x99999999999999999999999", "x100000000000000000000000")).isNegative();
        assertThat(NaturalOrder.compare("abc", "abcd")).isNegative();
    }

    @Test
    void rendersEscapedNamesAndEncodedLinks() {
        DirectoryListing.Contents c = new DirectoryListing.Contents(List.of(
                new DirectoryListing.Entry("<b>&\"'.txt", false, 3, 0, false),
                new DirectoryListing.Entry("dir #1?", true, 0, 0, false)), false);
        String html = DirectoryListing.render("/x/<y>/", 1, c);
        assertThat(html).doesNotContain("<b>").doesNotContain("<y>");
        assertThat(html).contains("href=\"%3Cb%3E%26%22%27.txt\">&lt;b&gt;&amp;&quot;&#39;.txt</a>");
        assertThat(html).contains("href=\"dir%20%231%3F/\">dir #1?/</a>");
        assertThat(html).contains("<title>Index of /x/&lt;y&gt;/</title>");
        assertThat(html).contains("1 folder, 1 file");
    }
}
