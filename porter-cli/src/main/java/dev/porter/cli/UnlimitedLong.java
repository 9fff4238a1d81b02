package dev.porter.cli;

import picocli.CommandLine;

/**
 * Reads a limit that may be {@code unlimited} (a picocli converter): a whole number, or the word, which stands for
 * {@link Long#MAX_VALUE}. An option whose default is "no limit" names its default {@code "unlimited"} so that
 * {@code --help} shows that word, not 9223372036854775807.
 */
final class UnlimitedLong implements CommandLine.ITypeConverter<Long> {

    /** The word for no limit, as the default value of such options. */
    static final String UNLIMITED = "unlimited";

    @Override
    public Long convert(String value) {
        if (value.strip().equalsIgnoreCase(UNLIMITED)) return Long.MAX_VALUE;
        try {
            long n = Long.parseLong(value.strip());
            if (n < 0) throw new CommandLine.TypeConversionException("'" + value + "' is negative: expected 0 or more, or " + UNLIMITED);
            return n;
        } catch (NumberFormatException e) {
            throw new CommandLine.TypeConversionException("'" + value + "' is not a whole number or " + UNLIMITED);
        }
    }
}
