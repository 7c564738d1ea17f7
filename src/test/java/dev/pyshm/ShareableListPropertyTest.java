package dev.pyshm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.Size;

/**
 * Property tests (jqwik prints the seed of every run): random lists round-trip through create and
 * attach in both layouts, and random set sequences agree with a plain {@link ArrayList} model.
 */
class ShareableListPropertyTest {

    @Provide
    Arbitrary<Object> value() {
        Arbitrary<String> strings = Arbitraries.strings().all().ofMaxLength(40)
                .filter(s -> s.codePoints().noneMatch(c -> c >= 0xd800 && c <= 0xdfff))
                .filter(s -> !s.endsWith("\0"));
        Arbitrary<byte[]> bytes = Arbitraries.bytes().array(byte[].class).ofMaxSize(40)
                .filter(b -> b.length == 0 || b[b.length - 1] != 0);
        return Arbitraries.oneOf(
                Arbitraries.longs().map(Object.class::cast),
                Arbitraries.of(Long.MIN_VALUE, Long.MAX_VALUE, 0L).map(Object.class::cast),
                Arbitraries.doubles().map(Object.class::cast),
                Arbitraries.of(Double.NaN, -0.0, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY).map(Object.class::cast),
                Arbitraries.of(true, false).map(Object.class::cast),
                Arbitraries.just(null),
                strings.map(Object.class::cast),
                bytes.map(Object.class::cast));
    }

    @Provide
    Arbitrary<List<Object>> values() {
        return value().list().ofMaxSize(30);
    }

    @Provide
    Arbitrary<ShareableList.Layout> layout() {
        return Arbitraries.of(ShareableList.Layout.values());
    }

    @Property(tries = 300)
    void createThenAttachGivesTheSameList(@ForAll("values") List<Object> values, @ForAll("layout") ShareableList.Layout layout)
            throws IOException {
        try (ShareableList sl = ShareableList.create(null, values, layout);
             ShareableList back = ShareableList.attach(sl.shm().name())) {
            try {
                assertEquals(layout, back.layout());
                assertEquals(values.size(), back.size());
                assertEquals(copy(values), copy(back));
                assertEquals(sl.format(), back.format());
            } finally {
                sl.shm().unlink();
            }
        }
    }

    @Property(tries = 200)
    void setSequencesAgreeWithAnArrayListModel(@ForAll("values") @Size(min = 1) List<Object> initial,
            @ForAll("sets") List<Tuple.Tuple2<Integer, Object>> sets) throws IOException {
        List<Object> model = new ArrayList<>(initial);
        try (ShareableList sl = ShareableList.create(initial)) {
            try {
                for (Tuple.Tuple2<Integer, Object> s : sets) {
                    int index = Math.floorMod(s.get1(), model.size()) - (s.get1() < 0 ? model.size() : 0);
                    Object v = s.get2();
                    int i = index < 0 ? index + model.size() : index;
                    int need = v instanceof String ? ((String) v).getBytes(StandardCharsets.UTF_8).length
                            : v instanceof byte[] ? ((byte[]) v).length : 0;
                    if (need > sl.capacity(i)) {
                        assertThrows(IllegalArgumentException.class, () -> sl.set(index, v));
                    } else {
                        Object previous = sl.set(index, v);
                        assertEquals(copy(Arrays.asList(model.get(i))), copy(Arrays.asList(previous)));
                        model.set(i, v);
                    }
                    assertEquals(copy(model), copy(sl));
                }
            } finally {
                sl.shm().unlink();
            }
        }
    }

    @Provide
    Arbitrary<List<Tuple.Tuple2<Integer, Object>>> sets() {
        return Arbitraries.integers().between(-40, 40).flatMap(i -> value().map(v -> Tuple.of(i, v))).list().ofMaxSize(20);
    }

    /** A comparable copy: byte[] wrapped so that equals compares content. */
    private static List<Object> copy(List<Object> list) {
        List<Object> out = new ArrayList<>();
        for (Object o : list) {
            out.add(o instanceof byte[] ? new Bytes((byte[]) o) : o);
        }
        return out;
    }

    private static final class Bytes {
        final byte[] b;

        Bytes(byte[] b) {
            this.b = b;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Bytes && Arrays.equals(b, ((Bytes) o).b);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(b);
        }

        @Override
        public String toString() {
            return Arrays.toString(b);
        }
    }
}
