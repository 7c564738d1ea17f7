package dev.pyshm.cli;

import dev.pyshm.SharedMemory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code pyshm gc}: unlink blocks that no process maps or holds open. */
@Command(name = "gc", sortOptions = false,
        header = "Unlink blocks that no process maps or holds open.",
        description = {
            "Unlink orphaned blocks: regular files in /dev/shm (psm_* by default) that no process maps or holds "
                + "open, according to /proc/*/maps and /proc/*/fd of every process. A mapped or open block is "
                + "never removed. Prints each block it removes.",
            "If any process cannot be inspected (permission denied: run as root; or a process root may not "
                + "trace), gc removes nothing and exits 4 rather than guess; --ignore-pid vouches for a process "
                + "you know maps no shared memory.",
            "Limits: a process that attaches between the scan and the unlink keeps its mapping, but the name is "
                + "gone (new attaches fail); use --older-than to leave recently changed blocks alone. Processes in "
                + "other PID namespaces that share /dev/shm (containers with --ipc=host) are invisible to the scan."})
final class GcCommand extends Subcommand {
    @Option(names = "--older-than", paramLabel = "DURATION", converter = Converters.Age.class,
            description = "Only blocks unchanged (size, mode or written via write(2)) for at least this long: 90s, 10m, 2h, 1d.")
    Duration olderThan;

    @Option(names = {"-n", "--dry-run"}, description = "Print what would be removed, remove nothing.")
    boolean dryRun;

    @Option(names = {"-a", "--all"}, description = "Any name, not only generated psm_* ones.")
    boolean all;

    @Option(names = "--prefix", paramLabel = "P", description = "Only names starting with P (replaces the psm_ default).")
    String prefix;

    @Option(names = "--ignore-pid", paramLabel = "PID",
            description = "Treat this process as mapping no shared memory even if it cannot be inspected (repeatable).")
    List<Long> ignorePids = new ArrayList<>();

    @Override
    int run() throws IOException {
        NameFilter filter = NameFilter.of(all, prefix);
        Progress progress = new Progress(err(), Terminal.interactive());
        progress.show("gc: scanning /dev/shm and /proc ...");
        Listing l = Listing.take(filter);
        Instant now = Instant.now();
        List<ShmEntry> candidates = new ArrayList<>();
        int held = 0;
        int young = 0;
        for (ShmEntry e : l.linked) {
            if (e.type != '-') {
                continue;
            }
            if (!l.holders(e).isEmpty()) {
                held++;
            } else if (olderThan != null && Duration.between(e.lastChange(), now).compareTo(olderThan) < 0) {
                young++;
            } else {
                candidates.add(e);
            }
        }
        Set<Long> ignored = new HashSet<>(ignorePids);
        List<Uninspected> blocking = new ArrayList<>();
        for (Uninspected u : l.scan.uninspected()) {
            if (!ignored.contains(u.pid)) {
                blocking.add(u);
            }
        }
        progress.clear();
        if (!candidates.isEmpty() && !blocking.isEmpty()) {
            err().println("pyshm gc: refusing to remove anything: " + blocking.size() + " of " + l.scan.processes()
                    + " processes could not be inspected and might map the " + candidates.size() + " unmapped-looking block(s) ("
                    + (isRoot() ? "" : "run as root, or ") + "--ignore-pid PID for a process known to map no shared memory):");
            for (Uninspected u : blocking) {
                err().println("  " + u.display());
            }
            return ExitCode.PERMISSION;
        }
        List<Integer> codes = new ArrayList<>();
        int removed = 0;
        for (int i = 0; i < candidates.size(); i++) {
            ShmEntry e = candidates.get(i);
            progress.tick("gc: " + i + " of " + candidates.size());
            String what = Names.display(e.name) + " (" + e.size + " bytes, unchanged for "
                    + Units.age(Duration.between(e.lastChange(), now)) + ")";
            if (changedSinceScan(e)) {
                continue;
            }
            if (dryRun) {
                out().println("would remove " + what);
                removed++;
                continue;
            }
            try {
                SharedMemory.unlink(e.name);
                out().println("removed " + what);
                removed++;
                codes.add(ExitCode.OK);
            } catch (Exception x) {
                codes.add(fail(e.name, x));
            }
        }
        progress.clear();
        out().println("gc: " + (dryRun ? "would remove " : "removed ") + removed + " of " + l.linked.size() + " blocks ("
                + filter.describe() + "); kept " + held + " mapped or open"
                + (olderThan != null ? ", " + young + " changed within " + Units.age(olderThan) : ""));
        return ExitCode.combine(codes);
    }

    private static boolean isRoot() {
        try {
            return Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** The name now refers to another object, or the object changed: leave it for the next run. */
    private static boolean changedSinceScan(ShmEntry scanned) {
        try {
            ShmEntry now = ShmEntry.read(Names.SHM_DIR.resolve(scanned.name));
            return !now.key.equals(scanned.key) || !now.lastChange().equals(scanned.lastChange());
        } catch (IOException gone) {
            return true;
        }
    }
}
