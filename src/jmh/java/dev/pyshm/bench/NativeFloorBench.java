package dev.pyshm.bench;

import dev.pyshm.internal.ErrnoException;
import dev.pyshm.internal.NativeShm;
import dev.pyshm.internal.ShmName;
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
 * The system calls of {@link LifecycleBench}'s cycles made straight through pyshm's JNA layer
 * ({@link NativeShm}), with a fixed name and none of {@code SharedMemory}'s bookkeeping (name
 * generation, tracker, Cleaner, views). Set against C's figure for the same calls, it shows what
 * JNA and running inside a JVM cost; set against {@link LifecycleBench}, what the library adds.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 400, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 5, time = 400, timeUnit = TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgs = {"-Xms256m", "-Xmx256m", "-XX:+AlwaysPreTouch"}, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
@State(Scope.Benchmark)
public class NativeFloorBench {
    private static final long SIZE = 4096;

    private final NativeShm os = NativeShm.get();
    private byte[] createName;
    private byte[] attachName;

    /** For JMH. */
    public NativeFloorBench() {
    }

    /**
     * Picks the names and creates the block {@link #attachCycle} opens.
     *
     * @throws ErrnoException when it cannot be created
     */
    @Setup
    public void setUp() throws ErrnoException {
        long pid = ProcessHandle.current().pid();
        createName = ShmName.of("pyshm_bench_jna_c_" + pid).cString();
        attachName = ShmName.of("pyshm_bench_jna_a_" + pid).cString();
        int fd = os.shmOpen(attachName, true, 0600);
        os.ftruncate(fd, SIZE);
        os.close(fd);
    }

    /**
     * Removes that block.
     *
     * @throws ErrnoException when it cannot be unlinked
     */
    @TearDown
    public void tearDown() throws ErrnoException {
        os.shmUnlink(attachName);
    }

    /**
     * {@code shm_open(O_CREAT|O_EXCL)}, {@code ftruncate}, {@code fstat}, {@code mmap},
     * {@code close}, {@code munmap}, {@code shm_unlink}.
     *
     * @return the size fstat saw
     * @throws ErrnoException when a call fails
     */
    @Benchmark
    public long createCycle() throws ErrnoException {
        int fd = os.shmOpen(createName, true, 0600);
        os.ftruncate(fd, SIZE);
        NativeShm.Stat st = os.fstat(fd);
        long address = os.mmapShared(fd, st.size, false, true);
        os.close(fd);
        os.munmap(address, st.size);
        os.shmUnlink(createName);
        return st.size;
    }

    /**
     * {@code shm_open}, {@code fstat}, {@code mmap}, {@code close}, {@code munmap}.
     *
     * @return the size fstat saw
     * @throws ErrnoException when a call fails
     */
    @Benchmark
    public long attachCycle() throws ErrnoException {
        int fd = os.shmOpen(attachName, false, 0);
        NativeShm.Stat st = os.fstat(fd);
        long address = os.mmapShared(fd, st.size, false, true);
        os.close(fd);
        os.munmap(address, st.size);
        return st.size;
    }
}
