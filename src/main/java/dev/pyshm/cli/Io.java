package dev.pyshm.cli;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * The byte streams a command may use besides picocli's text writers: standard input for
 * {@code write} and raw standard output for {@code dump --raw}. Tests pass their own.
 */
final class Io {
    private final InputStream in;
    private final OutputStream out;

    /**
     * Creates the streams.
     *
     * @param in what {@code write} reads
     * @param out where {@code dump --raw} writes bytes
     */
    Io(InputStream in, OutputStream out) {
        this.in = in;
        this.out = out;
    }

    /**
     * Returns the process's own standard input and output, unbuffered and unencoded.
     *
     * @return the streams
     */
    static Io system() {
        return new Io(new FileInputStream(FileDescriptor.in), new FileOutputStream(FileDescriptor.out));
    }

    /**
     * Returns standard input.
     *
     * @return the stream
     */
    InputStream in() {
        return in;
    }

    /**
     * Returns raw standard output.
     *
     * @return the stream
     */
    OutputStream out() {
        return out;
    }
}
