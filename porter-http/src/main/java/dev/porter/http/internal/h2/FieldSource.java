package dev.porter.http.internal.h2;

import java.util.List;

/**
 * A field block to send, HPACK-encoded by the {@link Http2Writer} under its write lock straight into the frame
 * buffer: no list of strings is built per message, and the encoder's context changes in the order blocks leave.
 */
interface FieldSource {

    /** @return the most bytes {@link #encode} writes (without the encoder's start of block) */
    int maxLength();

    /**
     * Encodes the fields, names in lower case and pseudo-fields first (RFC 9113 §8.2.1, §8.3).
     *
     * @return the offset after them
     */
    int encode(HpackEncoder encoder, byte[] b, int off);

    /** @return true for an interim (1xx) response head, which may not follow the final one (§8.1) */
    boolean interim();

    /** @param fields name, value, name, value…: names in lower case, pseudo-fields first */
    static FieldSource of(List<String> fields) {
        return new FieldSource() {
            @Override
            public int maxLength() {
                int max = 0;
                for (int i = 0; i < fields.size(); i += 2) max += HpackEncoder.maxFieldLength(fields.get(i), fields.get(i + 1));
                return max;
            }

            @Override
            public int encode(HpackEncoder encoder, byte[] b, int off) {
                int p = off;
                for (int i = 0; i < fields.size(); i += 2) p = encoder.field(b, p, fields.get(i), fields.get(i + 1));
                return p;
            }

            @Override
            public boolean interim() {
                return fields.size() >= 2 && fields.get(0).equals(":status") && fields.get(1).startsWith("1");
            }
        };
    }
}
