package dev.pyshm.cli;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses and formats the sizes, durations and modes users type. */
final class Units {
    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*([kmgt]?)(i?b)?", Pattern.CASE_INSENSITIVE);
    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(s|m|h|d|w)", Pattern.CASE_INSENSITIVE);

    private Units() {
    }

    /**
     * Parses a byte count: {@code 4096}, {@code 64K}, {@code 1M}, {@code 1G}, {@code 2T}
     * (binary multiples; {@code KiB}/{@code KB} spellings accepted).
     *
     * @param text the text
     * @return the byte count
     * @throws IllegalArgumentException when it is not a size or overflows, naming the text
     */
    static long parseSize(String text) {
        Matcher m = SIZE.matcher(text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("not a size (use e.g. 4096, 64K, 1M, 1G): " + text);
        }
        int shift;
        switch (m.group(2).toLowerCase(Locale.ROOT)) {
            case "k":
                shift = 10;
                break;
            case "m":
                shift = 20;
                break;
            case "g":
                shift = 30;
                break;
            case "t":
                shift = 40;
                break;
            default:
                shift = 0;
                break;
        }
        try {
            long n = Long.parseLong(m.group(1));
            if (n > (Long.MAX_VALUE >> shift)) {
                throw new NumberFormatException();
            }
            return n << shift;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("size too large: " + text);
        }
    }

    /**
     * Parses a duration: {@code 90s}, {@code 10m}, {@code 2h}, {@code 1d}, {@code 1w}.
     *
     * @param text the text
     * @return the duration
     * @throws IllegalArgumentException when it is not a duration, naming the text
     */
    static Duration parseDuration(String text) {
        Matcher m = DURATION.matcher(text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("not a duration (use e.g. 90s, 10m, 2h, 1d, 1w): " + text);
        }
        long n;
        try {
            n = Long.parseLong(m.group(1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("duration too large: " + text);
        }
        long seconds;
        switch (m.group(2).toLowerCase(Locale.ROOT)) {
            case "s":
                seconds = 1;
                break;
            case "m":
                seconds = 60;
                break;
            case "h":
                seconds = 3600;
                break;
            case "d":
                seconds = 86_400;
                break;
            default:
                seconds = 604_800;
                break;
        }
        if (n > Long.MAX_VALUE / seconds) {
            throw new IllegalArgumentException("duration too large: " + text);
        }
        return Duration.ofSeconds(n * seconds);
    }

    /**
     * Parses permission bits in octal, {@code 0600} or {@code 600}.
     *
     * @param text the text
     * @return the bits, within {@code 0..0777}
     * @throws IllegalArgumentException when it is not octal within that range, naming the text
     */
    static int parseMode(String text) {
        String t = text.trim();
        if (!t.matches("0?[0-7]{1,3}")) {
            throw new IllegalArgumentException("not an octal mode within 0..0777 (use e.g. 0600, 0640): " + text);
        }
        return Integer.parseInt(t, 8);
    }

    /**
     * Formats a byte count for people: {@code 512 B}, {@code 64 KiB}, {@code 1.5 GiB}.
     *
     * @param bytes the count
     * @return the text
     */
    static String human(long bytes) {
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
        double v = bytes;
        int u = 0;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        if (u == 0 || v == Math.rint(v)) {
            return String.format(Locale.ROOT, "%d %s", (long) Math.rint(v), units[u]);
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }

    /**
     * Formats a rate in decimal megabytes per second.
     *
     * @param bytes the bytes moved
     * @param nanos the time it took
     * @return e.g. {@code 1534.2 MB/s}
     */
    static String rate(long bytes, long nanos) {
        if (nanos <= 0) {
            return "-";
        }
        return String.format(Locale.ROOT, "%.1f MB/s", bytes / 1e6 / (nanos / 1e9));
    }

    /**
     * Formats a duration compactly: {@code 45s}, {@code 12m05s}, {@code 3h12m}, {@code 2d03h}.
     *
     * @param d the duration (negative counts as zero)
     * @return the text
     */
    static String age(Duration d) {
        long s = Math.max(0, d.getSeconds());
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
        }
        if (s < 86_400) {
            return String.format(Locale.ROOT, "%dh%02dm", s / 3600, s % 3600 / 60);
        }
        return String.format(Locale.ROOT, "%dd%02dh", s / 86_400, s % 86_400 / 3600);
    }
}
