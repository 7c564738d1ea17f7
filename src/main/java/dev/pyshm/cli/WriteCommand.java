package dev.pyshm.cli;

import dev.pyshm.SharedMemory;
import java.io.InputStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code pyshm write NAME < data}: copy stdin into a block. */
@Command(name = "write", sortOptions = false,
        header = "Copy standard input into a block.",
        description = {
            "Copy standard input into a block at an offset, in 1 MiB steps. Input longer than the space left "
                + "in the block is an error: what fits is written, the rest is reported, exit code 1."})
final class WriteCommand extends Subcommand {
    private static final int CHUNK = 1 << 20;

    @Parameters(paramLabel = "NAME", description = "The block name.")
    String name;

    @Option(names = {"-s", "--offset"}, paramLabel = "N", converter = Converters.Size.class,
            description = "Start at byte N. Default 0.")
    long offset;

    @Override
    int run() {
        try (SharedMemory shm = SharedMemory.attach(name)) {
            if (offset > shm.size()) {
                throw new IllegalArgumentException("offset outside the block: offset=" + offset + " size=" + shm.size());
            }
            InputStream in = io().in();
            byte[] chunk = new byte[CHUNK];
            long written = 0;
            int n;
            while ((n = in.readNBytes(chunk, 0, chunk.length)) > 0) {
                long room = shm.size() - offset - written;
                int fits = (int) Math.min(n, room);
                shm.buf(offset + written, fits).put(chunk, 0, fits);
                written += fits;
                if (fits < n) {
                    throw new CliException(ExitCode.FAILURE, "input is longer than the block: wrote " + written
                            + " bytes at offset " + offset + " up to its end (size " + shm.size()
                            + "), the rest of the input was not written");
                }
            }
            out().println("wrote " + written + " bytes to " + Names.display(name) + " at offset " + offset);
            return ExitCode.OK;
        } catch (Exception e) {
            return fail(name, e);
        }
    }
}
