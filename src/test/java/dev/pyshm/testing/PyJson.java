package dev.pyshm.testing;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * The JSON value encoding shared by python-tests/peer.py and the golden manifest: ints as numbers
 * (or {"int": "..."}), floats as {"float": repr}, bytes as {"bytes": hex}, str, bool and null as
 * themselves.
 */
public final class PyJson {
    private PyJson() {
    }

    /**
     * Decodes one value.
     *
     * @param e the JSON
     * @return Long, BigInteger, Double, Boolean, String, byte[] or null
     */
    public static Object value(JsonElement e) {
        if (e == null || e.isJsonNull()) {
            return null;
        }
        if (e.isJsonPrimitive()) {
            JsonPrimitive p = e.getAsJsonPrimitive();
            if (p.isBoolean()) {
                return p.getAsBoolean();
            }
            if (p.isString()) {
                return p.getAsString();
            }
            BigInteger big = p.getAsBigInteger();
            return big.bitLength() <= 63 ? (Object) big.longValue() : big;
        }
        JsonObject o = e.getAsJsonObject();
        if (o.has("float")) {
            String r = o.get("float").getAsString();
            switch (r) {
                case "nan":
                    return Double.NaN;
                case "inf":
                    return Double.POSITIVE_INFINITY;
                case "-inf":
                    return Double.NEGATIVE_INFINITY;
                default:
                    return Double.parseDouble(r);
            }
        }
        if (o.has("bytes")) {
            return hex(o.get("bytes").getAsString());
        }
        if (o.has("int")) {
            BigInteger big = new BigInteger(o.get("int").getAsString());
            return big.bitLength() <= 63 ? (Object) big.longValue() : big;
        }
        throw new IllegalArgumentException("not a value: " + e);
    }

    /**
     * Decodes an array of values.
     *
     * @param a the JSON array
     * @return the values
     */
    public static List<Object> values(JsonArray a) {
        List<Object> out = new ArrayList<>();
        a.forEach(e -> out.add(value(e)));
        return out;
    }

    /**
     * Encodes one value.
     *
     * @param v the value
     * @return the JSON
     */
    public static JsonElement json(Object v) {
        if (v == null) {
            return JsonNull.INSTANCE;
        }
        if (v instanceof Boolean) {
            return new JsonPrimitive((Boolean) v);
        }
        if (v instanceof String) {
            return new JsonPrimitive((String) v);
        }
        if (v instanceof byte[]) {
            JsonObject o = new JsonObject();
            o.addProperty("bytes", hex((byte[]) v));
            return o;
        }
        if (v instanceof Double || v instanceof Float) {
            JsonObject o = new JsonObject();
            o.addProperty("float", dev.pyshm.internal.PyRepr.floating(((Number) v).doubleValue()));
            return o;
        }
        if (v instanceof BigInteger) {
            JsonObject o = new JsonObject();
            o.addProperty("int", v.toString());
            return o;
        }
        if (v instanceof Number) {
            return new JsonPrimitive(((Number) v).longValue());
        }
        throw new IllegalArgumentException("no JSON form for " + v.getClass());
    }

    /**
     * Encodes values as an array.
     *
     * @param values the values
     * @return the JSON array
     */
    public static JsonArray json(List<?> values) {
        JsonArray a = new JsonArray();
        values.forEach(v -> a.add(json(v)));
        return a;
    }

    /**
     * Hex to bytes.
     *
     * @param s lowercase or uppercase hex
     * @return the bytes
     */
    public static byte[] hex(String s) {
        byte[] b = new byte[s.length() / 2];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) Integer.parseInt(s.substring(2 * i, 2 * i + 2), 16);
        }
        return b;
    }

    /**
     * Bytes to lowercase hex.
     *
     * @param b the bytes
     * @return the hex
     */
    public static String hex(byte[] b) {
        StringBuilder sb = new StringBuilder(b.length * 2);
        for (byte x : b) {
            sb.append(Character.forDigit((x >> 4) & 0xf, 16)).append(Character.forDigit(x & 0xf, 16));
        }
        return sb.toString();
    }
}
