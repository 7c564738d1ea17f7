package dev.pyshm.cli;

import dev.pyshm.internal.NativeShm;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code pyshm demo}: CPython workers hand blocks to Java, then edit a Java-made ShareableList. */
@Command(name = "demo", sortOptions = false,
        header = "Run the Java/CPython demo: workers hand over blocks, a ShareableList round trip.",
        description = {
            "Start CPython worker processes (stdlib only) that each create a shared memory block, fill it with "
                + "int64 values and report its name and CRC-32; Java attaches, checks every byte and reports MB/s. "
                + "Then Java creates a ShareableList, a worker attaches and edits it, and Java prints the result.",
            "Every block the demo makes is removed, also on Ctrl-C, SIGTERM or a crashed worker (the message names "
                + "the worker and how it died; exit code 1). Progress is shown on a terminal only."})
final class DemoCommand extends Subcommand {
    @Option(names = {"-w", "--workers"}, paramLabel = "N", defaultValue = "2",
            description = "Number of CPython workers, 1..32. Default: ${DEFAULT-VALUE}.")
    int workers;

    @Option(names = "--python", paramLabel = "PATH", defaultValue = "python3",
            description = "The CPython 3.8+ interpreter (a path, or a name on PATH). Default: ${DEFAULT-VALUE}.")
    String python;

    @Option(names = "--size", paramLabel = "SIZE", converter = Converters.Size.class, defaultValue = "64M",
            description = "Size of each worker's block, a multiple of 8: 1M, 64M, 1G. Default: ${DEFAULT-VALUE}.")
    long size;

    @Option(names = "--timeout", paramLabel = "DURATION", converter = Converters.Age.class, defaultValue = "2m",
            description = "How long to wait for any one worker reply. Default: ${DEFAULT-VALUE}.")
    Duration timeout;

    @Option(names = "--crash-worker", hidden = true, paramLabel = "K", defaultValue = "0",
            description = "Testing: worker K kills itself (SIGKILL) right after creating its block.")
    int crashWorker;

    @Option(names = "--hold-ms", hidden = true, paramLabel = "MS", defaultValue = "0",
            description = "Testing: workers wait this long after creating their blocks, before filling them.")
    int holdMillis;

    @Override
    int run() throws Exception {
        if (workers < 1 || workers > 32) {
            throw new IllegalArgumentException("--workers must be within 1..32: workers=" + workers);
        }
        if (size < 8 || size % 8 != 0) {
            throw new IllegalArgumentException("--size must be a positive multiple of 8 (the workers write int64): size=" + size);
        }
        String script = script();
        NativeShm.get(); // load the native layer now: fails early on an unsupported OS, and stays out of the timings
        Progress progress = new Progress(err(), Terminal.interactive());
        DemoCleanup cleanup = new DemoCleanup(System.err);
        cleanup.install();
        List<Transfer> transfers = new ArrayList<>();
        ListEdit edit;
        try {
            List<Worker> ws = new ArrayList<>();
            AtomicReference<Worker> firstDeath = new AtomicReference<>();
            progress.show("demo: starting " + workers + " CPython workers (" + python + ") ...");
            for (int i = 1; i <= workers; i++) {
                ws.add(cleanup.worker(Worker.start(python, script, i, err(), timeout, firstDeath)));
                transfers.add(new Transfer(i));
            }
            for (int i = 0; i < workers; i++) {
                String[] hello = ws.get(i).expect("hello");
                transfers.get(i).version = hello[1];
                transfers.get(i).pid = Long.parseLong(hello[2]);
            }
            for (int i = 0; i < workers; i++) {
                ws.get(i).send("fill " + size + " " + (i + 1) + " " + holdMillis + " " + (crashWorker == i + 1 ? 1 : 0));
            }
            for (int i = 0; i < workers; i++) {
                String[] created = ws.get(i).expect("created");
                cleanup.block(created[1]);
                transfers.get(i).name = created[1];
                transfers.get(i).size = Long.parseLong(created[2]);
            }
            for (int i = 0; i < workers; i++) {
                progress.show("demo: workers are filling " + Units.human(size) + " blocks ... (" + i + " of " + workers + " done)");
                String[] filled = ws.get(i).expect("filled");
                transfers.get(i).pythonCrc = Long.parseLong(filled[1], 16);
                transfers.get(i).pythonSeconds = Double.parseDouble(filled[2]);
            }
            for (Transfer t : transfers) {
                progress.show("demo: Java is checking " + t.name + " (worker " + t.index + ") ...");
                t.check = BlockCheck.run(t.name, t.index);
            }
            progress.show("demo: ShareableList round trip ...");
            edit = ListEdit.run(ws.get(0), transfers.get(0), cleanup);
            for (Worker w : ws) {
                w.send("done");
            }
            for (Worker w : ws) {
                w.expect("bye");
                if (!w.waitFor(timeout.toMillis()) || w.exitValue() != 0) {
                    throw new CliException(ExitCode.FAILURE, "worker " + w.index + " did not exit cleanly after 'bye'");
                }
            }
        } catch (CliException | IOException | RuntimeException e) {
            progress.clear();
            int code = fail(null, e);
            List<String> made = cleanup.blocks();
            List<String> left = cleanup.run();
            err().println("pyshm demo: stopped all workers; " + made.size() + " block(s) made "
                    + (made.isEmpty() ? "" : made + " ") + (left.isEmpty() ? "and none left in /dev/shm" : "but LEFT: " + left));
            return code;
        }
        List<String> left = cleanup.run();
        progress.clear();
        DemoReport.print(out(), python, transfers, edit, cleanup.blocks(), cleanup.unlinkedHere(), left);
        boolean ok = left.isEmpty() && edit.ok() && transfers.stream().allMatch(Transfer::ok);
        return ok ? ExitCode.OK : ExitCode.FAILURE;
    }

    private static String script() throws IOException {
        try (InputStream in = DemoCommand.class.getResourceAsStream("demo_worker.py")) {
            if (in == null) {
                throw new IOException("resource dev/pyshm/cli/demo_worker.py is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
