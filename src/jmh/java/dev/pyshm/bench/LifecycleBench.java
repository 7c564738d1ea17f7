package dev.pyshm.bench;

import dev.pyshm.SharedMemory;
import java.io.IOException;
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
 * The open/close path of a 4 KiB block, the work a service does per request when it does not keep
 * mappings: C's floor for the same system calls is {@code bench/c/shm_floor.c create|attach}.
 *
 * <ul>
 *   <li>{@link #createCycle}: {@code SharedMemory.create(4096)} + {@code close()} +
 *       {@code unlink()} with default options (tracked): {@code shm_open(O_CREAT|O_EXCL)},
 *       {@code ftruncate}, {@code fstat}, {@code mmap}, {@code close(fd)}, {@code munmap},
 *       {@code shm_unlink}, plus a generated name, the tracker entry and a Cleaner
 *       registration.</li>
 *   <li>{@link #createCycleUntracked}: the same with {@code track(false)}.</li>
 *   <li>{@link #attachCycle}: {@code SharedMemory.attach(name)} + {@code close()}:
 *       {@code shm_open}, {@code fstat}, {@code mmap}, {@code close(fd)}, {@code munmap}.</li>
 * </ul>
 * No page is touched, so none of these take a page fault.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 400, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 5, time = 400, timeUnit = TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgs = {"-Xms256m", "-Xmx256m", "-XX:+AlwaysPreTouch"}, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
@State(Scope.Benchmark)
public class LifecycleBench {
    private static final long SIZE = 4096;
    private static final SharedMemory.Options UNTRACKED = SharedMemory.Options.defaults().track(false);

    private SharedMemory target;
    private String targetName;

    /** For JMH. */
    public LifecycleBench() {
    }

    /**
     * Creates the block {@link #attachCycle} attaches to.
     *
     * @throws IOException when it cannot be created
     */
    @Setup
    public void setUp() throws IOException {
        target = SharedMemory.create(SIZE);
        targetName = target.name();
    }

    /**
     * Removes that block.
     *
     * @throws IOException when it cannot be unlinked
     */
    @TearDown
    public void tearDown() throws IOException {
        target.close();
        target.unlink();
    }

    /**
     * Create, close and unlink a 4 KiB block with the default options.
     *
     * @return the size, so nothing is optimised away
     * @throws IOException when a call fails
     */
    @Benchmark
    public long createCycle() throws IOException {
        SharedMemory shm = SharedMemory.create(SIZE);
        shm.close();
        shm.unlink();
        return shm.size();
    }

    /**
     * Create, close and unlink a 4 KiB block with {@code track(false)}.
     *
     * @return the size
     * @throws IOException when a call fails
     */
    @Benchmark
    public long createCycleUntracked() throws IOException {
        SharedMemory shm = SharedMemory.create(SIZE, UNTRACKED);
        shm.close();
        shm.unlink();
        return shm.size();
    }

    /**
     * Attach to an existing 4 KiB block and close it.
     *
     * @return the size
     * @throws IOException when a call fails
     */
    @Benchmark
    public long attachCycle() throws IOException {
        try (SharedMemory shm = SharedMemory.attach(targetName)) {
            return shm.size();
        }
    }
}
