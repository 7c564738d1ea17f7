package dev.pyshm.bench;

import dev.pyshm.ShareableList;
import dev.pyshm.SharedMemory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@link ShareableList} operations on int items, against CPython's {@code ShareableList}:
 *
 * <ul>
 *   <li>{@link #create1000}: {@code ShareableList.create(0..999)} + close + unlink, CPython's
 *       {@code sl = ShareableList(range(1000)); sl.shm.close(); sl.shm.unlink()}. Includes the
 *       create cycle of a 25,016-byte block and the {@code pwrite} of its image (CPython writes
 *       through the new mapping instead: a first-write fault per page, each ≈ 12–26 µs here).</li>
 *   <li>{@link #create1000Prefaulted}: the same with the prefault option, which maps the 7 pages
 *       at create (and so also pays for unmapping them at close).</li>
 *   <li>{@link #get}: {@code sl.get(500)}, CPython's {@code sl[500]}; returns a new
 *       {@link Long}, as CPython makes a new {@code int}.</li>
 *   <li>{@link #set}: {@code sl.set(500, v)}, CPython's {@code sl[500] = v}; {@code set} returns
 *       the previous value, as {@link java.util.List#set} must, so it also reads the item.</li>
 *   <li>{@link #put}: {@code sl.put(500, v)}, the write without the read.</li>
 * </ul>
 * No system call happens in get, set or put: they are pure user-space work on mapped memory.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 400, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 5, time = 400, timeUnit = TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgs = {"-Xms256m", "-Xmx256m", "-XX:+AlwaysPreTouch"}, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
@State(Scope.Benchmark)
public class ShareableListBench {
    private static final int INDEX = 500;
    private static final SharedMemory.Options PREFAULT = SharedMemory.Options.defaults().prefault(true);

    private final List<Long> thousand = new ArrayList<>();
    private ShareableList list;
    private Long value;

    /** For JMH. */
    public ShareableListBench() {
    }

    /**
     * Makes the values and the list that get, set and put use.
     *
     * @throws IOException when the block cannot be created
     */
    @Setup
    public void setUp() throws IOException {
        for (long i = 0; i < 1000; i++) {
            thousand.add(i);
        }
        list = ShareableList.create(thousand);
        value = 123_456_789L;
    }

    /**
     * Closes and removes the list.
     *
     * @throws IOException when it cannot be unlinked
     */
    @TearDown
    public void tearDown() throws IOException {
        list.close();
        list.shm().unlink();
    }

    /**
     * Creates a list of the ints 0..999, closes and unlinks it.
     *
     * @return its size
     * @throws IOException when the block cannot be created
     */
    @Benchmark
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public int create1000() throws IOException {
        ShareableList sl = ShareableList.create(thousand);
        sl.close();
        sl.shm().unlink();
        return sl.size();
    }

    /**
     * Creates a prefaulted list of the ints 0..999, closes and unlinks it.
     *
     * @return its size
     * @throws IOException when the block cannot be created
     */
    @Benchmark
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public int create1000Prefaulted() throws IOException {
        ShareableList sl = ShareableList.create(null, thousand, ShareableList.Layout.PY39, PREFAULT);
        sl.close();
        sl.shm().unlink();
        return sl.size();
    }

    /**
     * Reads an int item.
     *
     * @return the item
     */
    @Benchmark
    public Object get() {
        return list.get(INDEX);
    }

    /**
     * Writes an int item and returns the previous one.
     *
     * @return the previous item
     */
    @Benchmark
    public Object set() {
        return list.set(INDEX, value);
    }

    /**
     * Writes an int item.
     */
    @Benchmark
    public void put() {
        list.put(INDEX, value);
    }
}
