package dev.pyshm.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The ASCII-only mode the gateway's ready line and reports use. */
class JsonTest {

    @Test
    void asciiObjectEscapesEverythingAboveTilde() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("s", "é\uD83D\uDE00\u007f\"");
        m.put("n", 42L);
        m.put("i", -1);
        m.put("b", true);
        m.put("z", null);
        assertEquals("{\"s\":\"\\u00e9\\ud83d\\ude00\\u007f\\\"\",\"n\":42,\"i\":-1,\"b\":true,\"z\":null}",
                Json.asciiObject(m));
        assertEquals("[\"é\\ud800\"]", new Json().beginArray().value("é\ud800").endArray().toString());
    }
}
