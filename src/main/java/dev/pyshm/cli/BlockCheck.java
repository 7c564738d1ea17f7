package dev.pyshm.cli;

import dev.pyshm.SharedMemory;
import java.io.IOException;
import java.nio.ByteBuffer;
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
        long start = System.nanoTime();
        long base = (long) index << 40;
        CRC32 crc = new CRC32();
        long bad = -1;
        try (SharedMemory shm = SharedMemory.attach(name)) {
            long size = shm.size();
            for (long off = 0; off < size; off += WINDOW) {
                int n = (int) Math.min(WINDOW, size - off);
                ByteBuffer b = shm.buf(off, n);
                crc.update(b.duplicate());
                if (bad < 0) {
                    LongBuffer longs = b.asLongBuffer();
                    long first = off / 8;
                    for (int i = 0; i < longs.limit(); i++) {
                        if (longs.get(i) != base + first + i) {
                            bad = first + i;
                            break;
                        }
                    }
                }
            }
        }
        return new BlockCheck(crc.getValue(), bad, System.nanoTime() - start);
    }
}
