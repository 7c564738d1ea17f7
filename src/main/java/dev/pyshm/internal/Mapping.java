package dev.pyshm.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.ref.Cleaner;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The lifetime of one shared mapping, kept safe for every {@link ByteBuffer} ever handed out.
 *
 * <p>A direct buffer is a raw address; the JDK does not stop anyone from reading it after the
 * memory behind it is unmapped, and doing so crashes the JVM. So the address range is unmapped
 * only when nothing can touch it any more:
 * <ul>
 *   <li>{@link #detach()} (called by {@code close()}) replaces the shared pages in place with a
 *       private anonymous mapping ({@code MAP_FIXED}). The shared memory is released at once; a
 *       stale view reads zeros and its writes go nowhere, but it never faults.</li>
 *   <li>The address range itself is returned with {@code munmap} when the owner has let go
 *       ({@link #releaseOwner()}, from {@code close()} or the owner's cleaner) and every view
 *       buffer ("root") made by {@link #newRoot} is phantom-reachable. Slices and duplicates of a
 *       root keep the root reachable, so they are covered too.</li>
 * </ul>
 * When no view was ever made, {@code close()} simply unmaps. Nothing here keeps a root strongly
 * reachable: the cleaner actions hold the mapping, and the mapping holds no buffers.
 *
 * <p>Code of this library that reads the mapping over and over (a {@code ShareableList}) uses a
 * {@link Guarded} view instead of a root: every access is bracketed by {@link Guarded#enter()} and
 * {@link Guarded#exit(int)}, and unmapping first waits until no access is in flight. Such views cost
 * no {@code MAP_FIXED} replacement and no deferred {@code munmap} at close.
 */
public final class Mapping {
    /** The cleaner thread shared by every mapping and view. */
    public static final Cleaner CLEANER = Cleaner.create();

    private final NativeShm os;
    private final long address;
    private final long length;
    private final String blockName;
    private int refs = 1; // the owner plus one per live root
    private boolean detached;
    private boolean ownerReleased;
    private volatile boolean closing; // read by Guarded.enter; set before any unmapping
    private Guarded guard; // made on first use, shared by every user of this mapping

    /**
     * Takes over a mapping made by {@link NativeShm#mmapShared}.
     *
     * @param os the native layer
     * @param address the start address
     * @param length the length in bytes
     * @param blockName the block's name, for error messages
     */
    public Mapping(NativeShm os, long address, long length, String blockName) {
        this.os = os;
        this.address = address;
        this.length = length;
        this.blockName = blockName;
    }

    /**
     * Returns the length in bytes.
     *
     * @return the length
     */
    public long length() {
        return length;
    }

    /**
     * Makes a new direct buffer over {@code [offset, offset + len)} that keeps the address range
     * mapped while it (or any slice of it) is reachable. The caller has checked the bounds.
     *
     * @param offset the offset into the mapping
     * @param len the length
     * @return the buffer, in big-endian order as every new buffer
     * @throws IllegalStateException when the mapping was already detached (closed)
     */
    public synchronized ByteBuffer newRoot(long offset, int len) {
        if (detached || ownerReleased) {
            throw new IllegalStateException("shared memory block " + PyRepr.str(blockName) + " is closed");
        }
        ByteBuffer root = os.directBuffer(address + offset, len);
        refs++;
        CLEANER.register(root, new Release(this));
        return root;
    }

    /**
     * Returns the view over the first {@code len} bytes whose accesses must be bracketed by
     * {@link Guarded#enter()} and {@link Guarded#exit(int)}, made on the first call (later calls
     * return it and must pass the same arguments). It does not count as a root: when only the
     * guarded view exists, close unmaps at once (after in-flight accesses finish).
     *
     * @param len the length, at most the mapping's
     * @param writable whether the view may write (false for a read-only mapping)
     * @return the guarded view
     * @throws IllegalStateException when the mapping was already detached (closed)
     */
    public synchronized Guarded guarded(int len, boolean writable) {
        if (detached || ownerReleased) {
            throw new IllegalStateException("shared memory block " + PyRepr.str(blockName) + " is closed");
        }
        if (guard == null) {
            ByteBuffer view = os.directBuffer(address, len);
            if (!writable) {
                view = view.asReadOnlyBuffer();
            }
            guard = new Guarded(this, view.order(ByteOrder.nativeOrder()));
        }
        return guard;
    }

    /** Stops new guarded accesses and waits for those in flight. Call holding the monitor. */
    private void quiesce() {
        closing = true;
        if (guard != null) {
            guard.awaitIdle();
        }
    }

    /**
     * Disconnects every view from the shared pages: if views exist, the range becomes a private
     * anonymous mapping; if none do, the caller's {@link #releaseOwner()} unmaps it right away.
     * Idempotent.
     */
    public synchronized void detach() {
        if (detached || ownerReleased) {
            return;
        }
        detached = true;
        quiesce();
        if (refs > 1) {
            try {
                os.mmapAnonymousFixed(address, length);
            } catch (ErrnoException e) {
                // Out of address-space bookkeeping (ENOMEM): leave the shared mapping in place;
                // it is still safe, and munmap follows once the views are gone.
                System.err.println("pyshm: could not detach the views of " + PyRepr.str(blockName)
                        + " from shared memory at close (" + e.getMessage() + "); the pages stay mapped until"
                        + " the views are garbage-collected");
            }
        }
    }

    /**
     * Drops the owner's reference; unmaps when no view is left. Call at most once (through a
     * {@link Cleaner.Cleanable}).
     */
    public void releaseOwner() {
        synchronized (this) {
            if (ownerReleased) {
                return;
            }
            ownerReleased = true;
            quiesce(); // also when the owner was garbage-collected unclosed
        }
        release();
    }

    private synchronized void release() {
        if (--refs == 0) {
            try {
                os.munmap(address, length);
            } catch (ErrnoException e) {
                System.err.println("pyshm: munmap of " + PyRepr.str(blockName) + " failed: " + e.getMessage());
            }
        }
    }

    private static final class Release implements Runnable {
        private final Mapping mapping;

        Release(Mapping mapping) {
            this.mapping = mapping;
        }

        @Override
        public void run() {
            mapping.release();
        }
    }

    /**
     * A view of the mapping for code that brackets every access with {@link #enter()} and
     * {@link #exit(int)}, so that closing never unmaps memory under a running access.
     *
     * <p>The in-flight count is striped over cells picked by thread identity (a thread always uses
     * the same cell), so threads reading the same list in parallel rarely share a cache line.
     * Closing sets {@code closing} and then sums the cells; a reader increments its cell and then
     * reads {@code closing}. Both pairs are volatile accesses, so either the reader sees
     * {@code closing} and backs out, or the sum sees the reader and closing waits for it.
     */
    public static final class Guarded {
        private static final VarHandle CELLS = MethodHandles.arrayElementVarHandle(long[].class);
        private static final int STRIDE = 16; // longs per cell: 128 bytes, two cache lines
        private static final int CELLS_COUNT = 8;

        private final Mapping mapping;
        private final ByteBuffer view;
        private final long[] cells = new long[(CELLS_COUNT + 1) * STRIDE]; // cell k at (k + 1) * STRIDE

        Guarded(Mapping mapping, ByteBuffer view) {
            this.mapping = mapping;
            this.view = view;
        }

        /**
         * Returns the view, in native byte order; touch it only between {@link #enter()} and
         * {@link #exit(int)}. Use absolute accesses: the view is shared by all threads.
         *
         * @return the view
         */
        public ByteBuffer view() {
            return view;
        }

        private static int cell() {
            int h = System.identityHashCode(Thread.currentThread()) * 0x9E3779B9;
            return ((h >>> 29) + 1) * STRIDE;
        }

        /**
         * Starts an access. When it returns a ticket ({@code >= 0}), the memory stays mapped until
         * {@link #exit(int)} with that ticket; call it in a {@code finally}. Keep the access short
         * and call no foreign code in it: close waits for it.
         *
         * @return the ticket, or -1 when the mapping is closed (nothing to exit then)
         */
        public int enter() {
            int c = cell();
            CELLS.getAndAdd(cells, c, 1L);
            if (mapping.closing) {
                CELLS.getAndAdd(cells, c, -1L);
                return -1;
            }
            return c;
        }

        /**
         * Ends an access. The ticket carries the cell, so ending computes nothing that could fail.
         *
         * @param ticket what {@link #enter()} returned
         */
        public void exit(int ticket) {
            CELLS.getAndAdd(cells, ticket, -1L);
        }

        void awaitIdle() {
            for (int spins = 0; inFlight() != 0; spins++) {
                if (spins < 1_000) {
                    Thread.onSpinWait();
                } else {
                    Thread.yield(); // a reader was descheduled mid-access; it finishes in microseconds
                }
            }
        }

        private long inFlight() {
            long sum = 0;
            for (int k = 1; k <= CELLS_COUNT; k++) {
                sum += (long) CELLS.getVolatile(cells, k * STRIDE);
            }
            return sum;
        }
    }
}
