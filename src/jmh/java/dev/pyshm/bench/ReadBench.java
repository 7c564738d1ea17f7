package dev.pyshm.bench;

import dev.pyshm.SharedMemory;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A sequential read of a whole block (1 GiB by default), three ways of holding the mapping:
 *
 * <ul>
 *   <li>{@code prefaulted}: one mapping, attached once and every page touched in the setup, as a
 *       service that keeps its blocks open: no page fault during the measurement, so this is
 *       memory bandwidth plus the JIT's loop.</li>
 *   <li>{@code fresh}: each operation attaches ({@code shm_open}, {@code fstat}, {@code mmap}),
 *       reads and closes: every 4 KiB page takes a minor fault (≈ 2 µs of kernel time here), which
 *       dominates.</li>
 *   <li>{@code populate}: like {@code fresh} with {@code Options.prefault(true)}
 *       ({@code MAP_POPULATE}): the kernel maps every page inside {@code mmap}, faster than
 *       faulting page by page but still kernel work per page.</li>
 * </ul>
 *
 * <p>{@link #getLong} sums the block as native-order 8-byte words through
 * {@link ByteBuffer#getLong(int)}, to compare with C's 8-byte sum. {@link #bulkGet} copies the
 * block into a reused {@code byte[chunk]} ({@link ByteBuffer#get(int, byte[], int, int)}), chunk
 * after chunk, to compare with C's {@code memcpy} into a reused private buffer of the same size:
 * 64 MiB by default (larger than any cache, so the destination is not cache-resident, and a heap
 * that needs no tuning); {@code -p chunk=1073741824} copies the whole block into one 1 GiB array,
 * as C's single 1 GiB {@code memcpy} (the default heap, a quarter of RAM, holds it).
 *
 * <p>The block is the one named by {@code -p block=NAME} (bench/compare creates and fills one
 * so that C and Java read the very same tmpfs pages), or one this benchmark creates and fills.
 * Results are in milliseconds per pass; GiB/s is {@code size / 2^30 / seconds}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 1, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 4, time = 1, timeUnit = TimeUnit.SECONDS)
@Fork(value = 1, jvmArgs = {"-Xms2g", "-Xmx2g"}, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
@State(Scope.Benchmark)
public class ReadBench {
    private static final SharedMemory.Options PREFAULT = SharedMemory.Options.defaults().prefault(true);

    /** How the mapping is held: {@code prefaulted}, {@code fresh} or {@code populate}. */
    @Param({"prefaulted", "fresh", "populate"})
    public String mapping;

    /** The name of an existing block to read, or empty to create one of {@link #size} bytes. */
    @Param({""})
    public String block;

    /** The size of the block this benchmark creates when {@link #block} is empty. */
    @Param({"1073741824"})
    public long size;

    /** The size of the reused destination array of {@link #bulkGet}. */
    @Param({"67108864"})
    public int chunk;

    private SharedMemory own;
    private String name;
    private SharedMemory held;
    private ByteBuffer heldBuf;
    private int length;
    private byte[] dst;

    /** For JMH. */
    public ReadBench() {
    }

    /**
     * Finds or makes the block, and for {@code prefaulted} maps it and touches every page.
     *
     * @throws IOException when the block cannot be created or opened
     */
    @Setup
    public void setUp() throws IOException {
        if (block.isEmpty()) {
            own = SharedMemory.create(size);
            fill(own.buf());
            name = own.name();
        } else {
            name = block;
        }
        try (SharedMemory probe = SharedMemory.attach(name)) {
            if (probe.size() > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("ReadBench reads blocks up to 2 GiB: size=" + probe.size());
            }
            length = (int) probe.size();
        }
        if (length % chunk != 0) {
            throw new IllegalArgumentException("the block size must be a multiple of chunk: size=" + length
                    + " chunk=" + chunk);
        }
        dst = new byte[chunk];
        if (mapping.equals("prefaulted")) {
            held = SharedMemory.attach(name);
            heldBuf = held.buf();
            long touched = 0;
            for (int i = 0; i < length; i += 4096) {
                touched += heldBuf.get(i);
            }
            if (touched == Long.MIN_VALUE) {
                throw new AssertionError(); // keeps the touch loop
            }
        } else if (!mapping.equals("fresh") && !mapping.equals("populate")) {
            throw new IllegalArgumentException("mapping must be prefaulted, fresh or populate: mapping=" + mapping);
        }
    }

    private static void fill(ByteBuffer b) {
        byte[] pattern = new byte[1 << 20];
        for (int i = 0; i < pattern.length; i++) {
            pattern[i] = (byte) (i * 31 + 7);
        }
        for (int at = 0; at < b.capacity(); at += pattern.length) {
            b.put(at, pattern, 0, Math.min(pattern.length, b.capacity() - at));
        }
    }

    /**
     * Closes the mappings and removes the block this benchmark created.
     *
     * @throws IOException when it cannot be unlinked
     */
    @TearDown
    public void tearDown() throws IOException {
        if (held != null) {
            held.close();
        }
        if (own != null) {
            own.close();
            own.unlink();
        }
    }

    private SharedMemory open() throws IOException {
        switch (mapping) {
            case "prefaulted":
                return null;
            case "fresh":
                return SharedMemory.attach(name);
            default:
                return SharedMemory.attach(name, PREFAULT);
        }
    }

    /**
     * Sums the block as 8-byte native-order words with {@link ByteBuffer#getLong(int)}.
     *
     * @return the sum
     * @throws IOException when a fresh mapping cannot be made
     */
    @Benchmark
    public long getLong() throws IOException {
        SharedMemory shm = open();
        try {
            return sum(shm == null ? heldBuf : shm.buf(), length);
        } finally {
            if (shm != null) {
                shm.close();
            }
        }
    }

    /** The loop a user writes: one accumulator, one {@code getLong} per word, like C's loop. */
    private static long sum(ByteBuffer b, int length) {
        long sum = 0;
        for (int i = 0; i < length; i += 8) {
            sum += b.getLong(i);
        }
        return sum;
    }

    /**
     * Copies the block chunk by chunk into the reused {@code byte[chunk]}.
     *
     * @return one byte of the last chunk
     * @throws IOException when a fresh mapping cannot be made
     */
    @Benchmark
    public byte bulkGet() throws IOException {
        SharedMemory shm = open();
        try {
            ByteBuffer b = shm == null ? heldBuf : shm.buf();
            byte[] d = dst;
            for (int at = 0; at < length; at += d.length) {
                b.get(at, d, 0, d.length);
            }
            return d[d.length - 1];
        } finally {
            if (shm != null) {
                shm.close();
            }
        }
    }
}
