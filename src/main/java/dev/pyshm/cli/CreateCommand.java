package dev.pyshm.cli;

import dev.pyshm.SharedMemory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code pyshm create SIZE}: a new block that outlives the command. */
@Command(name = "create", sortOptions = false,
        header = "Create a block that outlives the command; print its name.",
        description = {
            "Create a block and print its name. The block stays after the command exits (it is not tracked): "
                + "remove it with 'pyshm rm NAME' or from Python with SharedMemory(NAME).unlink().",
            "The mode is applied before the umask, as with open(2)."})
final class CreateCommand extends Subcommand {
    @Parameters(paramLabel = "SIZE", converter = Converters.Size.class,
            description = "Size in bytes: 4096, 64K, 1M, 1G (binary multiples).")
    long size;

    @Option(names = "--name", paramLabel = "N", description = "Use exactly this name (fails if it exists). Default: a generated psm_xxxxxxxx.")
    String name;

    @Option(names = "--mode", paramLabel = "MODE", converter = Converters.Mode.class, defaultValue = "0600",
            description = "Permission bits in octal. Default: ${DEFAULT-VALUE}.")
    int mode;

    @Override
    int run() {
        SharedMemory.Options options = SharedMemory.Options.defaults().mode(mode).track(false);
        try (SharedMemory shm = name == null ? SharedMemory.create(size, options) : SharedMemory.create(name, size, options)) {
            out().println(shm.name());
            return ExitCode.OK;
        } catch (Exception e) {
            return fail(name, e);
        }
    }
}
