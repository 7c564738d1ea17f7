package dev.pyshm.internal;

/**
 * A failed system call: the errno value and the name of the call. Thrown by {@link NativeShm} and
 * turned into a {@code java.nio.file} exception by {@link Errno#translate}.
 */
public final class ErrnoException extends Exception {
    private static final long serialVersionUID = 1L;

    private final int errno;
    private final String call;

    /**
     * Creates the exception.
     *
     * @param errno the errno value the call left behind
     * @param call the C function that failed, for example {@code "ftruncate"}
     */
    public ErrnoException(int errno, String call) {
        super(call + ": " + Errno.describe(errno), null, false, false);
        this.errno = errno;
        this.call = call;
    }

    /**
     * Returns the errno value.
     *
     * @return the errno value
     */
    public int errno() {
        return errno;
    }

    /**
     * Returns the name of the C function that failed.
     *
     * @return the function name
     */
    public String call() {
        return call;
    }
}
