package dev.pyshm.cli;

import java.io.PrintWriter;
import java.nio.file.FileSystemException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * The shared part of every subcommand: help options, the exit code list, and turning a failure
 * into one stderr line plus its exit code (so that a command behaves the same however picocli is
 * configured).
 */
@Command(mixinStandardHelpOptions = true, exitCodeListHeading = ExitCode.HEADING,
        exitCodeList = {ExitCode.L0, ExitCode.L1, ExitCode.L2, ExitCode.L3, ExitCode.L4, ExitCode.L5})
abstract class Subcommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @ParentCommand
    Main main;

    /**
     * Does the work.
     *
     * @return the exit code
     * @throws Exception any failure; mapped by {@link ExitCode#of}
     */
    abstract int run() throws Exception;

    @Override
    public final Integer call() {
        try {
            return run();
        } catch (Exception e) {
            return fail(null, e);
        } finally {
            out().flush();
            err().flush();
        }
    }

    /**
     * Standard output for text.
     *
     * @return the writer
     */
    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    /**
     * Standard error.
     *
     * @return the writer
     */
    PrintWriter err() {
        return spec.commandLine().getErr();
    }

    /**
     * Returns the byte streams.
     *
     * @return the streams
     */
    Io io() {
        return main != null ? main.io() : Io.system();
    }

    /**
     * Prints the one stderr line for a failure: {@code pyshm CMD: BLOCK: MESSAGE}, where the
     * message is the library's exception text.
     *
     * @param block the block concerned, or null
     * @param e the failure
     * @return its exit code
     */
    int fail(String block, Exception e) {
        err().println(line(spec.name(), block, e));
        return ExitCode.of(e);
    }

    /**
     * Formats that line.
     *
     * @param command the subcommand name
     * @param block the block, or null
     * @param e the failure
     * @return the line
     */
    static String line(String command, String block, Exception e) {
        String msg = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
        boolean named = e instanceof FileSystemException && block != null && block.equals(((FileSystemException) e).getFile());
        if (block != null && !named) {
            msg = Names.display(block) + ": " + msg;
        }
        return "pyshm " + command + ": " + msg.replace('\n', ' ');
    }
}
