package dev.pyshm.cli;

import dev.pyshm.SharedMemory;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.LongBuffer;
import java.util.zip.CRC32;

/**
 * Java's side of a demo transfer: attach to a worker's block, compute the CRC-32 of its bytes (the
 * same as Python's {@code zlib.crc32}) and check every int64 element against the formula the
 * worker used, {@code index * 2^40 + i}; timed from attach to the last byte.
 */
final class BlockCheck {
    private static final int WINDOW = 16 << 20; // a multiple of 8

    /** The CRC-32 Java computed. */
    final long crc;
    /** The index of the first element that does not match, or -1. */
    final long firstBadElement;
    /** Nanoseconds from attach to the end of the check. */
    final long nanos;

    private BlockCheck(long crc, long firstBadElement, long nanos) {
        this.crc = crc;
        this.firstBadElement = firstBadElement;
        this.nanos = nanos;
    }

    /**
     * Attaches and checks.
     *
     * @param name the block
     * @param index the worker's index (the high part of every element)
     * @return the result
     * @throws IOException when the block cannot be attached
     */
    static BlockCheck run(String name, int index) throws IOException {
        warmUp();
        long start = System.nanoTime();
        long base = (long) index << 40;
        CRC32 crc = new CRC32();
        long bad = -1;
        try (SharedMemory shm = SharedMemory.attach(name, SharedMemory.Options.defaults().readOnly(true))) {
            long size = shm.size();
            for (long off = 0; off < size; off += WINDOW) {
                ByteBuffer b = shm.buf(off, (int) Math.min(WINDOW, size - off));
                long w = window(b, crc, base + off / 8);
                if (w >= 0 && bad < 0) {
                    bad = off / 8 + w;
                }
            }
        }
        return new BlockCheck(crc.getValue(), bad, System.nanoTime() - start);
    }

    /** Checks one window; returns the index (in the window) of the first wrong element, or -1. */
    private static long window(ByteBuffer b, CRC32 crc, long firstValue) {
        crc.update(b.duplicate());
        LongBuffer longs = b.asLongBuffer();
        for (int i = 0; i < longs.limit(); i++) {
            if (longs.get(i) != firstValue + i) {
                return i;
            }
        }
        return -1;
    }

    /** Lets the JIT compile the loop first, so the first worker's rate is not the interpreter's. */
    private static void warmUp() {
        ByteBuffer b = ByteBuffer.allocateDirect(1 << 16).order(ByteOrder.nativeOrder());
        for (int i = 0; i < (1 << 13); i++) {
            b.putLong(i * 8, i);
        }
        for (int round = 0; round < 20; round++) {
            window(b, new CRC32(), 0);
        }
    }
}
