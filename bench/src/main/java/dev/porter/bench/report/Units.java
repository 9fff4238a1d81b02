package dev.porter.bench.report;

import java.util.Locale;

/** Short human units for the table and the chart. Not a hot path: String.format is fine here. */
final class Units {

    private Units() {}

    /** 123456 -> "123.5k", 1234567 -> "1.23M". */
    static String rate(double perSecond) {
        if (Double.isNaN(perSecond)) return "n/a";
        if (perSecond >= 1e6) return String.format(Locale.ROOT, "%.2fM", perSecond / 1e6);
        if (perSecond >= 1e3) return String.format(Locale.ROOT, "%.1fk", perSecond / 1e3);
        return String.format(Locale.ROOT, "%.0f", perSecond);
    }

    /** Bytes per second as GB/s (10^9). */
    static String gbps(double bytesPerSecond) {
        return Double.isNaN(bytesPerSecond) ? "n/a" : String.format(Locale.ROOT, "%.2fGB/s", bytesPerSecond / 1e9);
    }

    /** Microseconds as "850us" or "1.9ms" or "23ms". */
    static String latency(double micros) {
        if (Double.isNaN(micros)) return "n/a";
        if (micros < 1000) return String.format(Locale.ROOT, "%.0fus", micros);
        if (micros < 10_000) return String.format(Locale.ROOT, "%.1fms", micros / 1000);
        return String.format(Locale.ROOT, "%.0fms", micros / 1000);
    }

    /** CPU microseconds per request, one decimal. */
    static String cpu(double micros) {
        return Double.isNaN(micros) ? "n/a" : String.format(Locale.ROOT, "%.1f", micros);
    }

    /** Bytes as "812 B", "3.9 KiB" or "1.2 MiB" (negative when memory shrank). */
    static String bytes(double bytes) {
        if (Double.isNaN(bytes)) return "n/a";
        double abs = Math.abs(bytes);
        if (abs < 1024) return String.format(Locale.ROOT, "%.0f B", bytes);
        if (abs < 1024 * 1024) return String.format(Locale.ROOT, "%.1f KiB", bytes / 1024);
        return String.format(Locale.ROOT, "%.1f MiB", bytes / (1024 * 1024));
    }

    /** 0.973 -> "97%". */
    static String percent(double fraction) {
        return Double.isNaN(fraction) ? "n/a" : String.format(Locale.ROOT, "%.0f%%", fraction * 100);
    }

    /** 0.973 -> "0.97". */
    static String ratio(double ratio) {
        return Double.isNaN(ratio) || Double.isInfinite(ratio) ? "n/a" : String.format(Locale.ROOT, "%.2f", ratio);
    }
}
