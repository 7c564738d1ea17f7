package dev.pyshm.cli;

import dev.pyshm.SharedMemory;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code pyshm rm NAME...}: unlink blocks. */
@Command(name = "rm",
        header = "Unlink blocks.",
        description = {
            "Unlink blocks (shm_unlink), each independently: a failure is reported and the others are still "
                + "removed. Processes that map a block keep their mapping; only the name goes.",
            "The exit code is 0 when all were removed, the failure's code when all failures agree "
                + "(e.g. 3 when every missing name), else 1."})
final class RmCommand extends Subcommand {
    @Parameters(paramLabel = "NAME", arity = "1..*", description = "The block names.")
    List<String> names;

    @Override
    int run() {
        List<Integer> codes = new ArrayList<>();
        for (String n : names) {
            try {
                SharedMemory.unlink(n);
                out().println("removed " + Names.display(n));
                codes.add(ExitCode.OK);
            } catch (Exception e) {
                codes.add(fail(n, e));
            }
        }
        return ExitCode.combine(codes);
    }
}
