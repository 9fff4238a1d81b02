package dev.porter.cli;

import picocli.CommandLine;

/**
 * Reads a size as people write it (a picocli converter): bytes, or a number with {@code K}, {@code M}, {@code G} or
 * {@code T} (powers of 1024, case-insensitive, an optional {@code B} or {@code iB} after), or {@code unlimited}.
 */
final class ByteSize implements CommandLine.ITypeConverter<Long> {

    @Override
    public Long convert(String value) {
        String v = value.strip();
        if (v.equalsIgnoreCase(UnlimitedLong.UNLIMITED)) return Long.MAX_VALUE;
        String upper = v.toUpperCase(java.util.Locale.ROOT);
        if (upper.endsWith("IB")) upper = upper.substring(0, upper.length() - 2);
        else if (upper.endsWith("B")) upper = upper.substring(0, upper.length() - 1);
        int shift = 0;
        if (!upper.isEmpty()) {
            switch (upper.charAt(upper.length() - 1)) {
                case 'K' -> shift = 10;
                case 'M' -> shift = 20;
                case 'G' -> shift = 30;
                case 'T' -> shift = 40;
                default -> shift = 0;
            }
            if (shift > 0) upper = upper.substring(0, upper.length() - 1);
        }
        try {
            long n = Long.parseLong(upper.strip());
            if (n < 0) throw new CommandLine.TypeConversionException("'" + value + "' is negative");
            if (shift > 0 && n > (Long.MAX_VALUE >> shift)) return Long.MAX_VALUE;
            return n << shift;
        } catch (NumberFormatException e) {
            throw new CommandLine.TypeConversionException("'" + value + "' is not a size (like 500M, 2G or " + UnlimitedLong.UNLIMITED + ")");
        }
    }
}
