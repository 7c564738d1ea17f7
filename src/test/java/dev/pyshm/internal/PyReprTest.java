package dev.pyshm.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.pyshm.testing.Py;
import dev.pyshm.testing.Pythons;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** PyRepr against the real interpreter's repr() for random floats, strings and bytes. */
class PyReprTest {

    @Test
    void floatsStringsAndBytesMatchCpythonRepr() throws Exception {
        long seed = System.nanoTime();
        System.out.println("PyReprTest seed=" + seed);
        SplittableRandom rnd = new SplittableRandom(seed);
        List<String> lines = new ArrayList<>();
        List<String> expected = new ArrayList<>();
        double[] fixed = {0.0, -0.0, 1.0, 0.1, 1e16, 1e15, 123456789012345678.0, 1e-4, 1e-5, 5e-324, Double.MAX_VALUE,
            Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 2.5, -273.154, 1.5e300, 0.3, 2.0 / 3};
        for (int i = 0; i < 3000; i++) {
            double d = i < fixed.length ? fixed[i] : i % 2 == 0 ? Double.longBitsToDouble(rnd.nextLong())
                    : rnd.nextDouble() * Math.pow(10, rnd.nextInt(-30, 30));
            lines.add("f " + Long.toHexString(Double.doubleToRawLongBits(d)));
            expected.add(PyRepr.floating(d));
        }
        for (int i = 0; i < 1000; i++) {
            StringBuilder sb = new StringBuilder();
            int len = rnd.nextInt(12);
            for (int k = 0; k < len; k++) {
                int pick = rnd.nextInt(6);
                int cp = pick == 0 ? rnd.nextInt(0x80) : pick == 1 ? rnd.nextInt(0x100) : pick == 2 ? "'\"\\".charAt(rnd.nextInt(3))
                        : pick == 3 ? rnd.nextInt(0x10000) : pick == 4 ? rnd.nextInt(0x110000) : 0x2028 + rnd.nextInt(3);
                if (cp >= 0xd800 && cp <= 0xdfff) {
                    cp = 'x';
                }
                sb.appendCodePoint(cp);
            }
            String s = sb.toString();
            lines.add("s " + bytesHex(s.getBytes(StandardCharsets.UTF_8)));
            expected.add(PyRepr.str(s));
            byte[] b = new byte[rnd.nextInt(10)];
            rnd.nextBytes(b);
            if (rnd.nextInt(4) == 0 && b.length > 0) {
                b[0] = '\'';
            }
            lines.add("b " + bytesHex(b));
            expected.add(PyRepr.bytes(b));
        }
        Path in = Files.createTempFile("pyrepr", ".txt");
        try {
            Files.write(in, lines);
            String script = String.join("\n",
                    "import struct, sys, unicodedata",
                    "out = []",
                    "for line in open(sys.argv[1]):",
                    "    kind, h = line.split()  if ' ' in line.strip() else (line.strip(), '')",
                    "    if kind == 'f': out.append(repr(struct.unpack('<d', int(h, 16).to_bytes(8, 'little'))[0]))",
                    "    elif kind == 's':",
                    "        t = bytes.fromhex(h).decode('utf-8')",
                    "        known = all(unicodedata.category(c) != 'Cn' for c in t)",
                    "        out.append(repr(t) if known else '<unassigned in this Python>')",
                    "    else: out.append(repr(bytes.fromhex(h)))",
                    "sys.stdout.buffer.write('\\n'.join(out).encode('utf-8'))");
            String out = Py.ok(Pythons.newest(), script, in.toString());
            String[] got = out.split("\n", -1);
            assertEquals(expected.size(), got.length);
            int compared = 0;
            for (int i = 0; i < got.length; i++) {
                // Printability follows each runtime's Unicode tables (JDK 17: Unicode 13; CPython
                // 3.13: 15.1); compare where both know every code point.
                if (got[i].equals("<unassigned in this Python>") || !definedInJava(lines.get(i))) {
                    continue;
                }
                compared++;
                assertEquals(got[i], expected.get(i), "input " + lines.get(i) + " (seed " + seed + ")");
            }
            System.out.println("PyReprTest compared " + compared + " of " + got.length);
            assertEquals(true, compared > 4000, "too few comparable inputs: " + compared);
        } finally {
            Files.delete(in);
        }
    }

    private static boolean definedInJava(String line) {
        if (!line.startsWith("s ")) {
            return true;
        }
        String h = line.substring(2);
        byte[] b = new byte[h.length() / 2];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) Integer.parseInt(h.substring(2 * i, 2 * i + 2), 16);
        }
        return new String(b, StandardCharsets.UTF_8).codePoints().allMatch(Character::isDefined);
    }

    private static String bytesHex(byte[] b) {
        StringBuilder sb = new StringBuilder();
        for (byte x : b) {
            sb.append(String.format("%02x", x & 0xff));
        }
        return sb.toString();
    }
}
