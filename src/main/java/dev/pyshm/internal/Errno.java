package dev.pyshm.internal;

import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalInt;

/**
 * errno values, their symbols and texts, and their translation to {@code java.nio.file}
 * exceptions (the way {@code sun.nio.fs.UnixException.translateToIOException} does it).
 *
 * <p>The reason of every exception starts with the errno symbol, for example
 * {@code ENAMETOOLONG: File name too long}, so callers (and the Python side of the interop suite)
 * can recover the errno with {@link #errnoOf(FileSystemException)}.
 */
public final class Errno {
    /** Operation not permitted. */
    public static final int EPERM = 1;
    /** No such file or directory. */
    public static final int ENOENT = 2;
    /** Interrupted system call. */
    public static final int EINTR = 4;
    /** Cannot allocate memory. */
    public static final int ENOMEM = 12;
    /** Permission denied. */
    public static final int EACCES = 13;
    /** File exists. */
    public static final int EEXIST = 17;
    /** Invalid argument. */
    public static final int EINVAL = 22;
    /** Too many open files. */
    public static final int EMFILE = 24;
    /** No space left on device. */
    public static final int ENOSPC = 28;
    /** File name too long. */
    public static final int ENAMETOOLONG = 36;
    /** Too many levels of symbolic links. */
    public static final int ELOOP = 40;

    // Linux numbers and glibc's strerror texts; another OS brings its own table with its binding.
    private static final String[][] TABLE = {
        {"1", "EPERM", "Operation not permitted"},
        {"2", "ENOENT", "No such file or directory"},
        {"4", "EINTR", "Interrupted system call"},
        {"5", "EIO", "Input/output error"},
        {"9", "EBADF", "Bad file descriptor"},
        {"11", "EAGAIN", "Resource temporarily unavailable"},
        {"12", "ENOMEM", "Cannot allocate memory"},
        {"13", "EACCES", "Permission denied"},
        {"14", "EFAULT", "Bad address"},
        {"16", "EBUSY", "Device or resource busy"},
        {"17", "EEXIST", "File exists"},
        {"19", "ENODEV", "No such device"},
        {"20", "ENOTDIR", "Not a directory"},
        {"21", "EISDIR", "Is a directory"},
        {"22", "EINVAL", "Invalid argument"},
        {"23", "ENFILE", "Too many open files in system"},
        {"24", "EMFILE", "Too many open files"},
        {"26", "ETXTBSY", "Text file busy"},
        {"27", "EFBIG", "File too large"},
        {"28", "ENOSPC", "No space left on device"},
        {"30", "EROFS", "Read-only file system"},
        {"36", "ENAMETOOLONG", "File name too long"},
        {"38", "ENOSYS", "Function not implemented"},
        {"40", "ELOOP", "Too many levels of symbolic links"},
        {"75", "EOVERFLOW", "Value too large for defined data type"},
        {"95", "EOPNOTSUPP", "Operation not supported"},
        {"122", "EDQUOT", "Disk quota exceeded"},
    };
    private static final Map<Integer, String[]> BY_NUMBER;
    private static final Map<String, Integer> BY_SYMBOL;

    static {
        HashMap<Integer, String[]> byNumber = new HashMap<>();
        HashMap<String, Integer> bySymbol = new HashMap<>();
        for (String[] row : TABLE) {
            int n = Integer.parseInt(row[0]);
            byNumber.put(n, row);
            bySymbol.put(row[1], n);
        }
        BY_NUMBER = Map.copyOf(byNumber);
        BY_SYMBOL = Map.copyOf(bySymbol);
    }

    private Errno() {
    }

    /**
     * Returns the symbol of an errno value, for example {@code ENOENT}, or {@code errno 123} for a
     * value this table does not know.
     *
     * @param errno the errno value
     * @return its symbol
     */
    public static String symbol(int errno) {
        String[] row = BY_NUMBER.get(errno);
        return row != null ? row[1] : "errno " + errno;
    }

    /**
     * Returns the errno value of a symbol such as {@code EEXIST}.
     *
     * @param symbol the symbol
     * @return its value, or empty when the table does not know it
     */
    public static OptionalInt number(String symbol) {
        Integer n = BY_SYMBOL.get(symbol);
        return n == null ? OptionalInt.empty() : OptionalInt.of(n);
    }

    /**
     * Returns {@code SYMBOL: text}, for example {@code ENAMETOOLONG: File name too long}.
     *
     * @param errno the errno value
     * @return the description
     */
    public static String describe(int errno) {
        String[] row = BY_NUMBER.get(errno);
        return row != null ? row[1] + ": " + row[2] : "errno " + errno + ": Unknown error " + errno;
    }

    /**
     * Translates a failed call on a named block into the matching {@code java.nio.file} exception:
     * ENOENT to {@link NoSuchFileException}, EEXIST to {@link FileAlreadyExistsException}, EACCES
     * and EPERM to {@link AccessDeniedException} (CPython raises {@code PermissionError} for both),
     * anything else to {@link FileSystemException}.
     *
     * @param e the failure
     * @param file the block name as the caller gave it
     * @param withCall whether the reason names the failed call (for calls after {@code shm_open})
     * @return the exception to throw
     */
    public static FileSystemException translate(ErrnoException e, String file, boolean withCall) {
        String reason = describe(e.errno()) + (withCall ? " (" + e.call() + ")" : "");
        FileSystemException x;
        switch (e.errno()) {
            case ENOENT:
                x = new NoSuchFileException(file, null, reason);
                break;
            case EEXIST:
                x = new FileAlreadyExistsException(file, null, reason);
                break;
            case EACCES:
            case EPERM:
                x = new AccessDeniedException(file, null, reason);
                break;
            default:
                x = new FileSystemException(file, null, reason);
                break;
        }
        return x;
    }

    /**
     * Recovers the errno value from an exception made by {@link #translate}.
     *
     * @param e the exception
     * @return the errno value, or empty when the reason does not start with a known symbol
     */
    public static OptionalInt errnoOf(FileSystemException e) {
        String reason = e.getReason();
        if (reason == null) {
            return OptionalInt.empty();
        }
        int colon = reason.indexOf(':');
        return colon < 0 ? OptionalInt.empty() : number(reason.substring(0, colon));
    }
}
