package dev.pyshm.internal;

import java.lang.ref.Cleaner;
import java.nio.ByteBuffer;

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
     * Disconnects every view from the shared pages: if views exist, the range becomes a private
     * anonymous mapping; if none do, the caller's {@link #releaseOwner()} unmaps it right away.
     * Idempotent.
     */
    public synchronized void detach() {
        if (detached || ownerReleased) {
            return;
        }
        detached = true;
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
}
