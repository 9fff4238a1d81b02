package dev.porter.http.internal.h2;

import com.code_intelligence.jazzer.junit.FuzzTest;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzzes {@link HpackDecoder} with a connection's worth of field blocks. The input's first byte picks the limits
 * (dynamic table size, header list size) and whether the encoder uses Huffman; then each block is a length byte
 * and that many bytes (a length byte of 0 instead lowers or raises the table limit to 16 times the next byte, as
 * a new SETTINGS_HEADER_TABLE_SIZE would). Each block goes to two decoders, one with the header list limit and
 * one without. For every input:
 * <ul>
 *   <li>the only failure is an {@link Http2Exception}: a connection error COMPRESSION_ERROR, the same from both
 *       decoders, or the limited decoder's stream error {@link Http2Exception#headerListTooLarge()};</li>
 *   <li>the limited decoder never outputs more than its limit (name + value + 32 per field), outputs exactly what
 *       the other does when that is within the limit, and a prefix of it otherwise;</li>
 *   <li>after every block, refused for its size or not, both dynamic tables are the same (RFC 9113 §10.5.1);</li>
 *   <li>the decoded fields, encoded again by {@link HpackEncoder} (one per connection, its own table in step with
 *       a third decoder), decode to the same fields.</li>
 * </ul>
 * Replays {@code HpackDecoderFuzzTestInputs/} in the normal test run; {@code scripts/fuzz} runs a campaign when
 * given {@code HpackDecoderFuzzTest#decodesWithinTheLimitAndRoundTrips}.
 */
class HpackDecoderFuzzTest {

    static final int[] TABLE_SIZES = {0, 64, 256, 4096};
    static final int[] LIST_LIMITS = {64, 512, 4096, 65536};

    @FuzzTest(maxDuration = "10m")
    void decodesWithinTheLimitAndRoundTrips(byte[] input) {
        if (input.length == 0) return;
        int config = input[0] & 0xff;
        int tableSize = TABLE_SIZES[config & 3];
        int listLimit = LIST_LIMITS[config >>> 2 & 3];
        HpackDecoder limited = new HpackDecoder(tableSize, listLimit);
        HpackDecoder unlimited = new HpackDecoder(tableSize, Integer.MAX_VALUE);
        HpackEncoder encoder = new HpackEncoder(config >>> 5 == 0 ? 256 : 4096, (config & 0x10) != 0);
        HpackDecoder mirror = new HpackDecoder(4096, Integer.MAX_VALUE);
        int pos = 1;
        while (pos < input.length) {
            int length = input[pos++] & 0xff;
            if (length == 0) {
                if (pos == input.length) break;
                int limit = 16 * (input[pos++] & 0xff);
                limited.maxTableSize(limit);
                unlimited.maxTableSize(limit);
                continue;
            }
            int end = Math.min(pos + length, input.length);
            byte[] block = Arrays.copyOfRange(input, pos, end);
            pos = end;
            if (!block(block, limited, unlimited, listLimit, encoder, mirror)) return;
        }
    }

    /** @return false once the connection is over (a compression error) */
    private static boolean block(byte[] block, HpackDecoder limited, HpackDecoder unlimited, int listLimit,
                                 HpackEncoder encoder, HpackDecoder mirror) {
        List<List<String>> all = new ArrayList<>();
        Http2Exception allError = null;
        try {
            unlimited.decode(block, 0, block.length, 1, (n, v) -> all.add(List.of(n, v)));
        } catch (Http2Exception e) {
            allError = e;
        }
        List<List<String>> some = new ArrayList<>();
        long[] size = {0};
        Http2Exception someError = null;
        try {
            limited.decode(block, 0, block.length, 1, (n, v) -> {
                size[0] += n.length() + v.length() + 32;
                assertThat(size[0]).as("output beyond the limit").isLessThanOrEqualTo(listLimit);
                some.add(List.of(n, v));
            });
        } catch (Http2Exception e) {
            someError = e;
        }
        if (allError != null) {
            assertThat(allError.isConnectionError()).isTrue();
            assertThat(allError.error()).isEqualTo(Http2Error.COMPRESSION_ERROR);
            assertThat(someError).as("the limited decoder accepted a block the other refused").isNotNull();
            assertThat(someError.isConnectionError()).isTrue();
            assertThat(someError.error()).isEqualTo(Http2Error.COMPRESSION_ERROR);
            return false;
        }
        long allSize = 0;
        for (List<String> f : all) allSize += f.get(0).length() + f.get(1).length() + 32;
        assertThat(unlimited.lastHeaderListSize()).isEqualTo(allSize);
        if (allSize <= listLimit) {
            assertThat(someError).as("refused a block within the limit").isNull();
            assertThat(some).isEqualTo(all);
        } else {
            assertThat(someError).as("accepted a block over the limit").isNotNull();
            assertThat(someError.headerListTooLarge()).isTrue();
            assertThat(someError.streamId()).isEqualTo(1);
            assertThat(all.subList(0, some.size())).isEqualTo(some);
        }
        assertThat(limited.toString()).as("tables in step").isEqualTo(unlimited.toString());
        assertThat(limited.tableMaxSize()).isEqualTo(unlimited.tableMaxSize());

        int room = HpackEncoder.MAX_START_LENGTH;
        for (List<String> f : all) room += HpackEncoder.maxFieldLength(f.get(0), f.get(1));
        byte[] out = new byte[room];
        int p = encoder.startBlock(out, 0);
        for (List<String> f : all) p = encoder.field(out, p, f.get(0), f.get(1));
        List<List<String>> again = new ArrayList<>();
        mirror.decode(out, 0, p, 1, (n, v) -> again.add(List.of(n, v)));
        assertThat(again).as("round trip").isEqualTo(all);
        // The encoder's table is the newest part of its decoder's (equal, unless the encoder's is smaller).
        String ours = encoder.toString();
        assertThat(mirror.toString()).as("encoder and decoder tables")
                .startsWith(ours.substring(0, ours.lastIndexOf("      Table size:")));
        return true;
    }
}
