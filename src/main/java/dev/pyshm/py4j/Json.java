package dev.pyshm.py4j;

import java.util.Map;

/** The little JSON this package writes: flat objects of strings, numbers, booleans and nulls. */
final class Json {
    private Json() {
    }

    /**
     * Writes a flat object; values are {@link String}, {@link Number}, {@link Boolean} or null.
     *
     * @param fields the members, in order
     * @return one line of JSON, ASCII only
     */
    static String object(Map<String, ?> fields) {
        StringBuilder sb = new StringBuilder("{");
        for (Map.Entry<String, ?> e : fields.entrySet()) {
            if (sb.length() > 1) {
                sb.append(", ");
            }
            string(sb, e.getKey());
            sb.append(": ");
            Object v = e.getValue();
            if (v == null) {
                sb.append("null");
            } else if (v instanceof Boolean || v instanceof Integer || v instanceof Long) {
                sb.append(v);
            } else {
                string(sb, v.toString());
            }
        }
        return sb.append('}').toString();
    }

    private static void string(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c < 0x20 || c > 0x7e) {
                sb.append(String.format("\\u%04x", (int) c)); // surrogates stay pairs of escapes
            } else {
                sb.append(c);
            }
        }
        sb.append('"');
    }
}
