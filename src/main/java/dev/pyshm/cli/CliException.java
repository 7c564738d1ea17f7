package dev.pyshm.cli;

/** A command failure with its exit code and a message for the one stderr line. */
final class CliException extends Exception {
    private static final long serialVersionUID = 1L;
    private final int exitCode;

    /**
     * Creates the failure.
     *
     * @param exitCode the exit code, see {@link ExitCode}
     * @param message the message
     */
    CliException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    /**
     * Creates the failure with a cause.
     *
     * @param exitCode the exit code
     * @param message the message
     * @param cause the cause
     */
    CliException(int exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    /**
     * Returns the exit code.
     *
     * @return the code
     */
    int exitCode() {
        return exitCode;
    }
}
