package dev.pyshm;

import static org.junit.jupiter.api.Assertions.fail;

import dev.pyshm.testing.PyJson;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Feeds at least a million arbitrary blocks to the attach/decode path: mutations of valid images
 * (bit flips, interesting words over header, formats and codes) and pure random bytes. Every case
 * must either decode or throw {@link IllegalStateException}; anything else fails with the seed and
 * the input. Set {@code -Dpyshm.fuzz.seed=...} to replay.
 */
class ShareableListFuzzTest {
    private static final int INPUTS = Integer.getInteger("pyshm.fuzz.inputs", 1_000_000);
    private static final long[] INTERESTING = {0, 1, -1, 7, 8, 9, 16, 63, 64, 65, 166, 1L << 31, (1L << 31) - 1,
        Long.MAX_VALUE, Long.MIN_VALUE, 1L << 40};

    @Test
    void arbitraryBytesOnlyEverGiveTheDocumentedException() throws IOException {
        long seed = Long.getLong("pyshm.fuzz.seed", System.nanoTime());
        System.out.println("ShareableListFuzzTest seed=" + seed + " inputs=" + INPUTS
                + " (replay with -Dpyshm.fuzz.seed=" + seed + ")");
        SplittableRandom rnd = new SplittableRandom(seed);
        List<byte[]> seeds = new ArrayList<>();
        for (ShareableList.Layout layout : ShareableList.Layout.values()) {
            seeds.add(ShareableListLayoutTest.exampleImage(layout));
            try (ShareableList sl = ShareableList.create(null, Arrays.asList("ééééé", 1L, null, new byte[20], 3.5, false),
                    layout)) {
                seeds.add(ShareableListTest.snapshot(sl));
                sl.shm().unlink();
            }
            try (ShareableList sl = ShareableList.create(null, List.of(), layout)) {
                seeds.add(ShareableListTest.snapshot(sl));
                sl.shm().unlink();
            }
        }
        int capacity = 512;
        long decoded = 0;
        long rejected = 0;
        try (SharedMemory shm = SharedMemory.create(capacity)) {
            shm.unlink();
            ByteBuffer block = shm.buf();
            byte[] zeros = new byte[capacity];
            for (int n = 0; n < INPUTS; n++) {
                byte[] input = mutate(rnd, seeds, capacity);
                block.put(0, zeros);
                block.put(0, input);
                try {
                    ShareableList sl = ShareableList.wrap(shm, null);
                    try {
                        for (int i = 0; i < sl.size(); i++) {
                            sl.get(i);
                        }
                        sl.format();
                        sl.toString();
                        decoded++;
                    } catch (IllegalStateException expected) {
                        rejected++;
                    }
                } catch (IllegalStateException expected) {
                    rejected++;
                } catch (RuntimeException | Error e) {
                    fail("seed=" + seed + " input #" + n + " = " + PyJson.hex(input) + " threw " + e, e);
                }
            }
        }
        System.out.println("ShareableListFuzzTest decoded=" + decoded + " rejected=" + rejected);
    }

    private static byte[] mutate(SplittableRandom rnd, List<byte[]> seeds, int capacity) {
        int mode = rnd.nextInt(10);
        if (mode == 0) {
            byte[] b = new byte[rnd.nextInt(capacity + 1)];
            rnd.nextBytes(b);
            return b;
        }
        byte[] b = seeds.get(rnd.nextInt(seeds.size())).clone();
        if (rnd.nextInt(8) == 0) {
            b = Arrays.copyOf(b, rnd.nextInt(capacity + 1)); // truncate or extend with zeros
        }
        if (b.length < 8) {
            return b;
        }
        ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.nativeOrder());
        int edits = 1 + rnd.nextInt(3);
        for (int e = 0; e < edits; e++) {
            switch (rnd.nextInt(4)) {
                case 0:
                    int bit = rnd.nextInt(b.length * 8);
                    b[bit / 8] ^= (byte) (1 << (bit % 8));
                    break;
                case 1:
                    bb.putLong(8 * rnd.nextInt(b.length / 8), INTERESTING[rnd.nextInt(INTERESTING.length)]);
                    break;
                case 2:
                    String[] fmts = {"q", "d", "xxxxxxx?", "xxxxxx?x", "8s", "16s", "24s", "9999999s", "0s", "s", "7s"};
                    bb.putLong(8 * rnd.nextInt(b.length / 8), ShareableListDescriptor.fmtWord(fmts[rnd.nextInt(fmts.length)]));
                    break;
                default:
                    b[rnd.nextInt(b.length)] = (byte) rnd.nextInt(256);
                    break;
            }
        }
        return b;
    }
}
