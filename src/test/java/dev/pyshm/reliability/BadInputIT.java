package dev.pyshm.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.pyshm.SharedMemory;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;

/**
 * Property tests over hostile input (jqwik prints each run's seed): random names (any Unicode,
 * lone surrogates, NUL, slashes, lengths 0–300), sizes (0, negative, Long.MAX_VALUE, beyond the
 * tmpfs), and windows with overflowing offset + length. Every case ends in the documented
 * exception or succeeds, and /dev/shm is the same afterwards.
 */
class BadInputIT {
    private static final AtomicLong NAMES = new AtomicLong();
    private static final AtomicLong SIZES = new AtomicLong();
    private static final AtomicLong WINDOWS = new AtomicLong();
    private static volatile boolean FAILED;

    @Provide
    Arbitrary<String> names() {
        Arbitrary<Character> hostile = Arbitraries.of('\0', '/', '\ud800', '\udfff', '.', ':', '\n', 'é', '\u2028');
        Arbitrary<Character> any = Arbitraries.chars().all();
        Arbitrary<Character> ascii = Arbitraries.chars().range('a', 'z');
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(3, ascii), net.jqwik.api.Tuple.of(2, any), net.jqwik.api.Tuple.of(1, hostile))
                .list().ofMinSize(0).ofMaxSize(300)
                .map(cs -> {
                    StringBuilder sb = new StringBuilder("pyshmbad_");
                    cs.forEach(sb::append);
                    return sb.toString();
                })
                .injectDuplicates(0.01)
                .edgeCases(c -> c.add("pyshmbad_"));
    }

    @Property(tries = 1500)
    void anyNameEndsInSuccessOrTheDocumentedException(@ForAll("names") String name) throws Throwable {
        guard(() -> checkName(name));
    }

    private void checkName(String name) throws IOException {
        NAMES.incrementAndGet();
        Set<String> before = entries();
        try (SharedMemory shm = SharedMemory.create(name, 8)) {
            try (SharedMemory again = SharedMemory.attach(name)) {
                assertEquals(8, again.size());
            }
            shm.unlink();
        } catch (IllegalArgumentException e) {
            assertTrue(e.getMessage().startsWith("embedded null character")
                    || e.getMessage().startsWith("'utf-8' codec can't encode character"), e.getMessage());
        } catch (FileSystemException e) {
            String reason = e.getReason();
            assertTrue(reason.startsWith("EINVAL:") || reason.startsWith("ENAMETOOLONG:") || reason.startsWith("EEXIST:"),
                    reason);
            assertEquals(name, e.getFile(), "the exception names the block as given");
        }
        try {
            SharedMemory.attach(name).close();
            fail("attach after unlink must fail: " + name);
        } catch (NoSuchFileException | IllegalArgumentException expected) {
            // gone, or never valid
        } catch (FileSystemException e) {
            assertTrue(e.getReason().startsWith("EINVAL:") || e.getReason().startsWith("ENAMETOOLONG:"), e.getReason());
        }
        assertEquals(before, entries(), "no /dev/shm entry may be left for " + name);
    }

    @Provide
    Arbitrary<Long> sizes() {
        return Arbitraries.oneOf(
                Arbitraries.of(0L, -1L, Long.MIN_VALUE, Long.MAX_VALUE, Long.MAX_VALUE - 4095, 1L << 62, 1L << 44, 1L << 40,
                        1L, 4095L, 4097L),
                Arbitraries.longs());
    }

    @Property(tries = 300)
    void anySizeEndsInSuccessOrTheDocumentedException(@ForAll("sizes") long size) throws Throwable {
        guard(() -> checkSize(size));
    }

    private void checkSize(long size) throws IOException {
        SIZES.incrementAndGet();
        Set<String> before = entries();
        String name = "pyshmbad_size_" + ProcessHandle.current().pid();
        try (SharedMemory shm = SharedMemory.create(name, size, SharedMemory.Options.defaults().track(false))) {
            assertEquals(size, shm.size(), "sparse create of any size the kernel allows");
            shm.unlink();
        } catch (IllegalArgumentException e) {
            assertTrue(size <= 0, "only sizes <= 0 are bad arguments: " + e.getMessage());
            assertTrue(e.getMessage().endsWith("size=" + size), e.getMessage());
        } catch (FileSystemException e) {
            assertTrue(!(e instanceof AccessDeniedException) && !(e instanceof FileAlreadyExistsException), e.toString());
            assertTrue(e.getReason().matches("E(FBIG|INVAL|NOMEM|NOSPC): .* \\((ftruncate|mmap)\\)"), e.getReason());
        }
        assertEquals(before, entries(), "no /dev/shm entry may be left for size " + size);
    }

    @Provide
    Arbitrary<Long> offsets() {
        return Arbitraries.oneOf(Arbitraries.of(0L, -1L, 4095L, 4096L, 4097L, Long.MAX_VALUE, Long.MIN_VALUE,
                (long) Integer.MAX_VALUE), Arbitraries.longs().between(-10, 10_000), Arbitraries.longs());
    }

    @Provide
    Arbitrary<Integer> lengths() {
        return Arbitraries.oneOf(Arbitraries.of(0, -1, 1, 4096, 4097, Integer.MAX_VALUE, Integer.MIN_VALUE),
                Arbitraries.integers().between(-10, 10_000), Arbitraries.integers());
    }

    private static SharedMemory windowBlock;

    @Property(tries = 3000)
    void anyWindowIsInsideOrIndexOutOfBounds(@ForAll("offsets") long offset, @ForAll("lengths") int length)
            throws Throwable {
        guard(() -> checkWindow(offset, length));
    }

    private void checkWindow(long offset, int length) throws IOException {
        WINDOWS.incrementAndGet();
        if (windowBlock == null) {
            windowBlock = SharedMemory.create(4096);
            windowBlock.unlink();
        }
        boolean inside = offset >= 0 && length >= 0 && offset <= 4096L - length;
        try {
            assertEquals(length, windowBlock.buf(offset, length).capacity());
            assertTrue(inside, "accepted " + offset + "+" + length);
        } catch (IndexOutOfBoundsException e) {
            assertTrue(!inside, "rejected " + offset + "+" + length);
            assertEquals("index=" + offset + " length=" + length + " capacity=4096", e.getMessage());
        }
    }

    private interface Check {
        void run() throws Throwable;
    }

    /** Remembers any failure (including jqwik's shrinking runs), so the report only shows a passing run. */
    private static void guard(Check c) throws Throwable {
        try {
            c.run();
        } catch (Throwable t) {
            FAILED = true;
            throw t;
        }
    }

    @AfterContainer
    static void report() {
        if (windowBlock != null) {
            windowBlock.close();
        }
        if (FAILED) {
            return; // only passing scenarios make it into the table
        }
        Report.row("6a", "Bad input", "jqwik properties: random names (any UTF-16 incl. lone surrogates, NUL, '/', '.',"
                        + " ':', newlines, 0–300 chars), sizes (0, negatives, Long.MIN/MAX, 2^40–2^62, random), windows"
                        + " (overflowing offset + length); plus the 1e6-input ShareableList fuzz test in the unit suite",
                NAMES.get() + " names, " + SIZES.get() + " sizes, " + WINDOWS.get() + " windows",
                "each succeeded or threw the documented exception (IllegalArgumentException with CPython's text,"
                        + " FileSystemException with the errno, IndexOutOfBoundsException index=… length=… capacity=…)",
                "nothing (/dev/shm identical before and after every case)");
    }

    private static Set<String> entries() throws IOException {
        Set<String> s = new TreeSet<>();
        try (Stream<Path> l = Files.list(Path.of("/dev/shm"))) {
            l.forEach(p -> s.add(p.getFileName().toString()));
        }
        return s;
    }
}
