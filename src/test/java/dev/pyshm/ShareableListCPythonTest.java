package dev.pyshm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.gson.JsonObject;
import dev.pyshm.testing.Peer;
import dev.pyshm.testing.PyJson;
import dev.pyshm.testing.Pythons;
import dev.pyshm.testing.Shm;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * ShareableList both ways against every CPython under test, each in its own layout (3.8's
 * included), with the tricky values: non-ASCII, empty str and bytes, NaN, ±inf, -0.0, the int64
 * limits, booleans and None. The full Java × CPython matrix lives in python-tests/.
 */
class ShareableListCPythonTest {
    static final List<Object> TRICKY = Arrays.asList("é", "", new byte[0], Double.NaN, Double.POSITIVE_INFINITY,
            Double.NEGATIVE_INFINITY, -0.0, Long.MIN_VALUE, Long.MAX_VALUE, true, false, null, "snow ☃ 🐍",
            new byte[] {0, 1, 2, (byte) 0xff}, 2.5, "x".repeat(40));

    static List<Path> pythons() {
        return Pythons.all();
    }

    @ParameterizedTest
    @MethodSource("pythons")
    void pythonReadsJavasListInItsLayoutAndJavaSeesItsWrites(Path python) throws Exception {
        try (Peer peer = Peer.start(python)) {
            ShareableList.Layout layout = ShareableList.Layout.valueOf(peer.layout());
            List<Object> values = new ArrayList<>(TRICKY);
            values.add("ééééé"); // CPython itself would truncate these (gh-88336); pyshm's slots fit them
            values.add("snow ☃ snake 🐍");
            String name = Shm.uniqueName("sljava");
            try (ShareableList sl = ShareableList.create(name, values, layout)) {
                try {
                    JsonObject att = peer.ok("sl_attach", "name", name, "unregister", true);
                    String h = att.get("handle").getAsString();
                    assertEquals(sl.format(), att.get("format").getAsString());
                    JsonObject read = peer.ok("sl_read", "handle", h);
                    ShareableListGoldenTest.assertValues(values, PyJson.values(read.getAsJsonArray("values")));
                    peer.ok("sl_set", "handle", h, "index", 0, "value", "ü");
                    peer.ok("sl_set", "handle", h, "index", 7, "value", 12345L);
                    peer.ok("sl_set", "handle", h, "index", 11, "value", true);
                    assertEquals("ü", sl.get(0));
                    assertEquals(12345L, sl.get(7));
                    assertEquals(true, sl.get(11));
                    sl.set(3, 0.5);
                    assertEquals(0.5, PyJson.value(peer.ok("sl_get", "handle", h, "index", 3).get("value")));
                    peer.ok("sl_close", "handle", h);
                } finally {
                    sl.shm().unlink();
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("pythons")
    void javaReadsPythonsListAndPythonSeesJavasWrites(Path python) throws Exception {
        try (Peer peer = Peer.start(python)) {
            String name = Shm.uniqueName("slpy");
            JsonObject made = peer.ok("sl_create", "name", name, "values", PyJson.json(TRICKY));
            String h = made.get("handle").getAsString();
            try (ShareableList sl = ShareableList.attach(name)) {
                assertEquals(ShareableList.Layout.valueOf(peer.layout()), sl.layout());
                assertEquals(made.get("format").getAsString(), sl.format());
                ShareableListGoldenTest.assertValues(TRICKY, sl);
                assertEquals(made.get("repr").getAsString().replace(name, "NAME"),
                        sl.toString().replace(name, "NAME"));
                sl.set(1, "hello!!");
                sl.set(9, false);
                sl.set(12, null);
                JsonObject read = peer.ok("sl_read", "handle", h);
                List<Object> expected = new ArrayList<>(TRICKY);
                expected.set(1, "hello!!");
                expected.set(9, false);
                expected.set(12, null);
                ShareableListGoldenTest.assertValues(expected, PyJson.values(read.getAsJsonArray("values")));
            } finally {
                peer.ok("sl_close", "handle", h);
                peer.ok("sl_unlink", "handle", h);
            }
        }
    }
}
