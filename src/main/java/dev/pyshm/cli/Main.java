package dev.pyshm.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The {@code pyshm} command: {@code java -jar target/pyshm.jar <subcommand>}, or {@code bin/pyshm}.
 * Run with {@code --help} for the subcommands and their exit codes.
 */
@Command(name = "pyshm", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {
            "Inspect, dump and clean up POSIX shared memory blocks (/dev/shm) shared by CPython's "
                + "multiprocessing.shared_memory and Java (pyshm), and run the Java/CPython demo."},
        subcommands = {
            LsCommand.class, InfoCommand.class, DumpCommand.class, ListCommand.class, CreateCommand.class,
            WriteCommand.class, RmCommand.class, GcCommand.class, DemoCommand.class, CommandLine.HelpCommand.class},
        exitCodeListHeading = ExitCode.HEADING,
        exitCodeList = {ExitCode.L0, ExitCode.L1, ExitCode.L2, ExitCode.L3, ExitCode.L4, ExitCode.L5})
public final class Main implements Runnable {
    private final Io io;

    @Spec
    private CommandSpec spec;

    /** Creates the command on the process's standard streams. */
    public Main() {
        this(Io.system());
    }

    /**
     * Creates the command on other byte streams (tests).
     *
     * @param io standard input and raw standard output
     */
    Main(Io io) {
        this.io = io;
    }

    /**
     * Returns the byte streams.
     *
     * @return the streams
     */
    Io io() {
        return io;
    }

    /** Without a subcommand: a usage error that lists them. */
    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "Missing subcommand");
    }

    /**
     * Runs the command and exits with its exit code.
     *
     * @param args the arguments
     */
    public static void main(String[] args) {
        System.exit(new CommandLine(new Main()).execute(args));
    }
}
