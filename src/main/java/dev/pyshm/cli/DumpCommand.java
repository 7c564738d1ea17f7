package dev.pyshm.cli;

import dev.pyshm.SharedMemory;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code pyshm dump NAME}: the bytes of a block, as {@code xxd} shows them or raw. */
@Command(name = "dump", sortOptions = false,
        header = "Print a block's bytes like xxd, or raw.",
        description = {
            "Print a block's bytes as xxd does (offset, 16 bytes in 2-byte groups, ASCII), or write them raw "
                + "to stdout with --raw. Works on blocks of any size (read in 1 MiB windows).",
            "A --raw dump of 64 MiB or more to a file or pipe shows progress when stderr is a terminal."})
final class DumpCommand extends Subcommand {
    private static final int CHUNK = 1 << 20; // a multiple of 16, so every window starts a line
    private static final long PROGRESS_THRESHOLD = 64L << 20;

    @Parameters(paramLabel = "NAME", description = "The block name.")
    String name;

    @Option(names = {"-s", "--offset"}, paramLabel = "N", converter = Converters.Size.class,
            description = "Start at byte N (4096, 64K, 1G...). Default 0.")
    long offset;

    @Option(names = {"-l", "--length"}, paramLabel = "N", converter = Converters.Size.class,
            description = "Dump N bytes. Default: to the end of the block.")
    Long length;

    @Option(names = "--raw", description = "Write the bytes themselves to stdout.")
    boolean raw;

    @Override
    int run() throws Exception {
        try (SharedMemory shm = SharedMemory.attach(name, SharedMemory.Options.defaults().readOnly(true))) {
            long size = shm.size();
            long len = length != null ? length : Math.max(0, size - offset);
            if (offset > size || len > size - offset) {
                throw new IllegalArgumentException("window outside the block: offset=" + offset + " length=" + len
                        + " size=" + size);
            }
            Progress progress = new Progress(err(), raw && len >= PROGRESS_THRESHOLD
                    && Terminal.isTerminal(2) && !Terminal.isTerminal(1));
            byte[] chunk = new byte[(int) Math.min(CHUNK, Math.max(len, 1))];
            OutputStream rawOut = io().out();
            PrintWriter out = out();
            StringBuilder text = new StringBuilder();
            for (long done = 0; done < len; ) {
                int n = (int) Math.min(chunk.length, len - done);
                ByteBuffer window = shm.buf(offset + done, n);
                window.get(chunk, 0, n);
                if (raw) {
                    rawOut.write(chunk, 0, n);
                } else {
                    text.setLength(0);
                    for (int i = 0; i < n; i += HexDump.LINE) {
                        HexDump.line(text, offset + done + i, chunk, i, Math.min(HexDump.LINE, n - i));
                    }
                    out.print(text);
                }
                done += n;
                progress.tick("dump " + Names.display(name) + ": " + Units.human(done) + " of " + Units.human(len));
            }
            progress.clear();
            if (raw) {
                rawOut.flush();
            }
            return ExitCode.OK;
        } catch (Exception e) {
            return fail(name, e);
        }
    }
}
