package dev.pyshm.cli;

import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.util.Collection;

/** The exit codes of every {@code pyshm} command, and which failure gets which. */
final class ExitCode {
    /** Success. */
    static final int OK = 0;
    /** Any other failure: an I/O error, a block that is not a ShareableList, a failed demo. */
    static final int FAILURE = 1;
    /** Bad usage: unknown option, malformed size, invalid name (picocli's default is 2 too). */
    static final int USAGE = 2;
    /** A block (or the Python interpreter of the demo) does not exist. */
    static final int NOT_FOUND = 3;
    /** Permission denied, including gc refusing because a process could not be inspected. */
    static final int PERMISSION = 4;
    /** The block to create already exists. */
    static final int EXISTS = 5;

    /** The exit code list shown by every {@code --help}, as picocli's {@code exitCodeList}. */
    static final String L0 = "0:success";
    /** See {@link #L0}. */
    static final String L1 = "1:failure (I/O error, not a ShareableList, a demo step failed)";
    /** See {@link #L0}. */
    static final String L2 = "2:bad usage (unknown option, bad size/duration/mode, invalid name)";
    /** See {@link #L0}. */
    static final String L3 = "3:not found (no such block; demo: no such python)";
    /** See {@link #L0}. */
    static final String L4 = "4:permission denied (gc: a process could not be inspected)";
    /** See {@link #L0}. */
    static final String L5 = "5:already exists (create)";
    /** The heading of that list. */
    static final String HEADING = "%nExit codes:%n";

    private ExitCode() {
    }

    /**
     * Returns the exit code for a failure.
     *
     * @param e the failure
     * @return its exit code
     */
    static int of(Throwable e) {
        if (e instanceof CliException) {
            return ((CliException) e).exitCode();
        }
        if (e instanceof NoSuchFileException) {
            return NOT_FOUND;
        }
        if (e instanceof AccessDeniedException) {
            return PERMISSION;
        }
        if (e instanceof FileAlreadyExistsException) {
            return EXISTS;
        }
        if (e instanceof IllegalArgumentException) {
            return USAGE;
        }
        return FAILURE;
    }

    /**
     * Combines the codes of several independent steps (e.g. {@code rm a b c}): 0 when all
     * succeeded, the common code when every failure had the same one, else 1.
     *
     * @param codes the codes of the steps
     * @return the overall code
     */
    static int combine(Collection<Integer> codes) {
        int result = OK;
        for (int c : codes) {
            if (c == OK) {
                continue;
            }
            if (result == OK) {
                result = c;
            } else if (result != c) {
                return FAILURE;
            }
        }
        return result;
    }
}
