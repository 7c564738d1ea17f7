package dev.pyshm.internal;

import java.math.BigDecimal;
import java.util.List;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Python's {@code repr()} for the values pyshm shows: {@code str}, {@code bytes}, {@code int},
 * {@code float}, {@code bool}, {@code None} and lists of them, character for character as CPython
 * prints them.
 */
public final class PyRepr {
    private PyRepr() {
    }

    /**
     * {@code repr(str)}: single quotes unless the text contains a single quote and no double quote;
     * backslash escapes for the quote, backslash, tab, newline, carriage return and every
     * non-printable code point ({@code str.isprintable}).
     *
     * @param s the text
     * @return its repr
     */
    public static String str(String s) {
        if (s == null) {
            return "None";
        }
        char quote = s.indexOf('\'') >= 0 && s.indexOf('"') < 0 ? '"' : '\'';
        StringBuilder sb = new StringBuilder(s.length() + 2).append(quote);
        for (int i = 0; i < s.length(); ) {
            int c = s.codePointAt(i);
            i += Character.charCount(c);
            if (appendShortEscape(sb, c, quote)) {
                continue;
            } else if (c < 0x20 || c == 0x7f) {
                sb.append(String.format("\\x%02x", c));
            } else if (c < 0x7f || isPrintable(c)) {
                sb.appendCodePoint(c);
            } else if (c <= 0xff) {
                sb.append(String.format("\\x%02x", c));
            } else if (c <= 0xffff) {
                sb.append(String.format("\\u%04x", c));
            } else {
                sb.append(String.format("\\U%08x", c));
            }
        }
        return sb.append(quote).toString();
    }

    /** The escapes str and bytes share: the quote, backslash, tab, newline, carriage return. */
    private static boolean appendShortEscape(StringBuilder sb, int c, char quote) {
        switch (c) {
            case '\t':
                sb.append("\\t");
                return true;
            case '\n':
                sb.append("\\n");
                return true;
            case '\r':
                sb.append("\\r");
                return true;
            default:
                if (c == quote || c == '\\') {
                    sb.append('\\').append((char) c);
                    return true;
                }
                return false;
        }
    }

    private static boolean isPrintable(int c) {
        switch (Character.getType(c)) {
            case Character.CONTROL:
            case Character.FORMAT:
            case Character.SURROGATE:
            case Character.PRIVATE_USE:
            case Character.UNASSIGNED:
            case Character.LINE_SEPARATOR:
            case Character.PARAGRAPH_SEPARATOR:
            case Character.SPACE_SEPARATOR:
                return c == ' ';
            default:
                return true;
        }
    }

    /**
     * {@code repr(bytes)}: {@code b'...'} with the same quote choice as {@code str}, {@code \xNN}
     * for bytes outside printable ASCII.
     *
     * @param b the bytes
     * @return its repr
     */
    public static String bytes(byte[] b) {
        boolean hasSingle = false;
        boolean hasDouble = false;
        for (byte x : b) {
            hasSingle |= x == '\'';
            hasDouble |= x == '"';
        }
        char quote = hasSingle && !hasDouble ? '"' : '\'';
        StringBuilder sb = new StringBuilder(b.length + 3).append('b').append(quote);
        for (byte x : b) {
            int c = x & 0xff;
            if (appendShortEscape(sb, c, quote)) {
                continue;
            } else if (c < 0x20 || c >= 0x7f) {
                sb.append(String.format("\\x%02x", c));
            } else {
                sb.append((char) c);
            }
        }
        return sb.append(quote).toString();
    }

    /**
     * {@code repr(float)}: the shortest decimal that round-trips, in fixed notation when the
     * decimal exponent is in [-4, 16), otherwise as {@code 1e+16}; {@code inf}, {@code -inf},
     * {@code nan}, {@code -0.0}.
     *
     * @param d the value
     * @return its repr
     */
    public static String floating(double d) {
        if (Double.isNaN(d)) {
            return "nan";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "inf" : "-inf";
        }
        if (d == 0) {
            return (1 / d) < 0 ? "-0.0" : "0.0";
        }
        // Shortest round-tripping digits: the exact binary value rounded half-even to p
        // significant digits is the nearest p-digit decimal, so the first p that parses back to d
        // gives the digits Python's repr (David Gay's mode 0) picks.
        BigDecimal exact = new BigDecimal(d);
        BigDecimal shortest = exact;
        for (int p = 1; p <= 17; p++) {
            BigDecimal candidate = exact.round(new MathContext(p, RoundingMode.HALF_EVEN));
            if (Double.parseDouble(candidate.toString()) == d) {
                shortest = candidate;
                break;
            }
        }
        shortest = shortest.stripTrailingZeros();
        boolean negative = shortest.signum() < 0;
        String digits = shortest.unscaledValue().abs().toString();
        int decpt = digits.length() - shortest.scale(); // decimal point position relative to the digits
        StringBuilder sb = new StringBuilder();
        if (negative) {
            sb.append('-');
        }
        if (decpt > -4 && decpt <= 16) {
            if (decpt <= 0) {
                sb.append("0.");
                for (int i = 0; i < -decpt; i++) {
                    sb.append('0');
                }
                sb.append(digits);
            } else if (decpt >= digits.length()) {
                sb.append(digits);
                for (int i = digits.length(); i < decpt; i++) {
                    sb.append('0');
                }
                sb.append(".0");
            } else {
                sb.append(digits, 0, decpt).append('.').append(digits, decpt, digits.length());
            }
        } else {
            sb.append(digits.charAt(0));
            if (digits.length() > 1) {
                sb.append('.').append(digits, 1, digits.length());
            }
            int exp = decpt - 1;
            sb.append('e').append(exp < 0 ? '-' : '+');
            String abs = Integer.toString(Math.abs(exp));
            if (abs.length() < 2) {
                sb.append('0');
            }
            sb.append(abs);
        }
        return sb.toString();
    }

    /**
     * {@code repr()} of one ShareableList value: {@code None}, {@code True}/{@code False}, an int, a
     * float, a str or bytes.
     *
     * @param v the value ({@code null}, {@link Boolean}, an integral {@link Number}, {@link Double}
     *     or {@link Float}, {@link String} or {@code byte[]})
     * @return its repr
     */
    public static String value(Object v) {
        if (v == null) {
            return "None";
        }
        if (v instanceof Boolean) {
            return ((Boolean) v) ? "True" : "False";
        }
        if (v instanceof Double || v instanceof Float) {
            return floating(((Number) v).doubleValue());
        }
        if (v instanceof BigDecimal) {
            return floating(((BigDecimal) v).doubleValue());
        }
        if (v instanceof Number) {
            return v.toString();
        }
        if (v instanceof String) {
            return str((String) v);
        }
        if (v instanceof byte[]) {
            return bytes((byte[]) v);
        }
        return String.valueOf(v);
    }

    /**
     * {@code repr(list)}: {@code [1, 2.5, True, None, 'hi', b'xy']}.
     *
     * @param values the values
     * @return its repr
     */
    public static String list(List<?> values) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(value(values.get(i)));
        }
        return sb.append(']').toString();
    }
}
