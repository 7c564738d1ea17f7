package dev.pyshm.cli;

/** Formats bytes the way {@code xxd} does by default: 16 per line, 2-byte groups, ASCII column. */
final class HexDump {
    /** Bytes per line. */
    static final int LINE = 16;
    private static final char[] HEX = "0123456789abcdef".toCharArray();
    private static final int HEX_WIDTH = LINE * 2 + LINE / 2 - 1; // 39: "6865 6c6c ... 6869"

    private HexDump() {
    }

    /**
     * Appends one line: {@code 00000010: 7320 6973  s is}.
     *
     * @param sb where to append (a newline is added)
     * @param offset the offset of the first byte, printed as at least 8 hex digits
     * @param b the bytes
     * @param from the first byte's index in {@code b}
     * @param n how many bytes, {@code 1..16}
     */
    static void line(StringBuilder sb, long offset, byte[] b, int from, int n) {
        String off = Long.toHexString(offset);
        for (int i = off.length(); i < 8; i++) {
            sb.append('0');
        }
        sb.append(off).append(": ");
        int start = sb.length();
        for (int i = 0; i < n; i++) {
            if (i > 0 && i % 2 == 0) {
                sb.append(' ');
            }
            int x = b[from + i] & 0xff;
            sb.append(HEX[x >> 4]).append(HEX[x & 0xf]);
        }
        while (sb.length() - start < HEX_WIDTH) {
            sb.append(' ');
        }
        sb.append("  ");
        for (int i = 0; i < n; i++) {
            int x = b[from + i] & 0xff;
            sb.append(x >= 0x20 && x < 0x7f ? (char) x : '.');
        }
        sb.append('\n');
    }
}
