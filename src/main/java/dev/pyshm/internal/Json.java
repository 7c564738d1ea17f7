package dev.pyshm.internal;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;

/**
 * A minimal streaming JSON writer (pyshm has no JSON library at run time; the command-line tool and
 * the Py4J gateway use this one): objects, arrays, strings, integers, booleans, null and
 * pre-formatted numbers. Commas are inserted automatically; strings are escaped per RFC 8259, lone
 * surrogates as {@code \}{@code uXXXX} escapes, and in {@link #asciiOnly()} mode every non-ASCII
 * character too (for lines read back in an unknown charset).
 *
 * <pre>{@code
 * new Json().beginObject().name("size").value(4096).endObject().toString();   // {"size":4096}
 * }</pre>
 */
public final class Json {
    private final StringBuilder sb = new StringBuilder();
    private final Deque<boolean[]> first = new ArrayDeque<>(); // per open container: nothing written yet
    private final boolean ascii;
    private boolean afterName;

    /** A writer that keeps non-ASCII characters as they are. */
    public Json() {
        this(false);
    }

    private Json(boolean ascii) {
        this.ascii = ascii;
    }

    /**
     * A writer whose output is ASCII only: every character above U+007E is escaped.
     *
     * @return the writer
     */
    public static Json asciiOnly() {
        return new Json(true);
    }

    /**
     * One flat ASCII-only object of strings, integers, booleans and nulls (other values are
     * written as their {@code toString()}).
     *
     * @param fields the members, in order
     * @return the JSON text
     */
    public static String asciiObject(Map<String, ?> fields) {
        Json j = asciiOnly().beginObject();
        for (Map.Entry<String, ?> e : fields.entrySet()) {
            j.name(e.getKey());
            Object v = e.getValue();
            if (v == null) {
                j.nullValue();
            } else if (v instanceof Boolean) {
                j.value((Boolean) v);
            } else if (v instanceof Integer || v instanceof Long) {
                j.value(((Number) v).longValue());
            } else {
                j.value(v.toString());
            }
        }
        return j.endObject().toString();
    }

    /**
     * Opens an object.
     *
     * @return this writer
     */
    public Json beginObject() {
        separate();
        sb.append('{');
        first.push(new boolean[] {true});
        return this;
    }

    /**
     * Closes the current object.
     *
     * @return this writer
     */
    public Json endObject() {
        first.pop();
        sb.append('}');
        return this;
    }

    /**
     * Opens an array.
     *
     * @return this writer
     */
    public Json beginArray() {
        separate();
        sb.append('[');
        first.push(new boolean[] {true});
        return this;
    }

    /**
     * Closes the current array.
     *
     * @return this writer
     */
    public Json endArray() {
        first.pop();
        sb.append(']');
        return this;
    }

    /**
     * Writes a member name; the next value belongs to it.
     *
     * @param name the name
     * @return this writer
     */
    public Json name(String name) {
        separate();
        string(name);
        sb.append(':');
        afterName = true;
        return this;
    }

    /**
     * Writes a string, or null.
     *
     * @param s the string
     * @return this writer
     */
    public Json value(String s) {
        separate();
        if (s == null) {
            sb.append("null");
        } else {
            string(s);
        }
        return this;
    }

    /**
     * Writes an integer.
     *
     * @param n the value
     * @return this writer
     */
    public Json value(long n) {
        separate();
        sb.append(n);
        return this;
    }

    /**
     * Writes a boolean.
     *
     * @param b the value
     * @return this writer
     */
    public Json value(boolean b) {
        separate();
        sb.append(b);
        return this;
    }

    /**
     * Writes null.
     *
     * @return this writer
     */
    public Json nullValue() {
        separate();
        sb.append("null");
        return this;
    }

    /**
     * Writes a number already formatted as a JSON number, e.g. {@code 2.5} or {@code 1e+16}.
     *
     * @param number the number text
     * @return this writer
     */
    public Json number(String number) {
        separate();
        sb.append(number);
        return this;
    }

    private void separate() {
        if (afterName) {
            afterName = false;
            return;
        }
        boolean[] f = first.peek();
        if (f != null) {
            if (!f[0]) {
                sb.append(',');
            }
            f[0] = false;
        }
    }

    private void string(String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"':
                    sb.append("\\\"");
                    break;
                case '\\':
                    sb.append("\\\\");
                    break;
                case '\n':
                    sb.append("\\n");
                    break;
                case '\r':
                    sb.append("\\r");
                    break;
                case '\t':
                    sb.append("\\t");
                    break;
                default:
                    boolean lone = Character.isSurrogate(c) && !(Character.isHighSurrogate(c) && i + 1 < s.length()
                            && Character.isLowSurrogate(s.charAt(i + 1)));
                    if (c < 0x20 || c == 0x7f || lone || (ascii && c > 0x7e)) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                        if (Character.isHighSurrogate(c)) { // not in ASCII mode: escaped above
                            sb.append(s.charAt(++i));
                        }
                    }
                    break;
            }
        }
        sb.append('"');
    }

    /**
     * Returns the JSON text written so far.
     *
     * @return the text
     */
    @Override
    public String toString() {
        return sb.toString();
    }
}
