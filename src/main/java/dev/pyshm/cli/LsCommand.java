package dev.pyshm.cli;

import dev.pyshm.internal.Json;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code pyshm ls}: the blocks on this host with size, owner, mode, time and the PIDs that map them. */
@Command(name = "ls", sortOptions = false,
        header = "List the shared memory blocks on this host and the processes that map them.",
        description = {
            "List POSIX shared memory blocks (/dev/shm): size in bytes, owner, mode, modification time and the "
                + "processes that map them or hold them open (from /proc/*/maps and /proc/*/fd).",
            "Symbolic links are shown as such, never followed. PIDS: '-' none, '?' none found but some process "
                + "could not be inspected (listed on stderr), '[fd]' open but not mapped.",
            "With --all, blocks that were unlinked but are still mapped are listed too, in their own table."})
final class LsCommand extends Subcommand {
    @Option(names = {"-a", "--all"}, description = "All names, not only generated psm_* ones; also list unlinked blocks still mapped.")
    boolean all;

    @Option(names = "--prefix", paramLabel = "P", description = "Only names starting with P (replaces the psm_ default).")
    String prefix;

    @Option(names = "--json", description = "Print one JSON object: blocks, unlinked, uninspected, processes.")
    boolean json;

    @Override
    int run() throws Exception {
        Listing l = Listing.take(NameFilter.of(all, prefix));
        boolean gaps = !l.scan.uninspected().isEmpty();
        boolean showUnlinked = all || prefix != null;
        if (json) {
            Json j = new Json().beginObject().name("blocks").beginArray();
            for (ShmEntry e : l.linked) {
                BlockJson.block(j, e, l.holders(e));
            }
            j.endArray().name("unlinked").beginArray();
            if (showUnlinked) {
                for (ShmEntry e : l.unlinked) {
                    BlockJson.block(j, e, l.scan.holdersOf(e.key));
                }
            }
            j.endArray().name("uninspected");
            BlockJson.uninspected(j, l.scan.uninspected());
            j.name("processes").value(l.scan.processes()).endObject();
            out().println(j);
            return ExitCode.OK;
        }
        PrintWriter out = out();
        Table t = table();
        for (ShmEntry e : l.linked) {
            t.row(BlockText.name(e), BlockText.size(e), BlockText.owner(e), BlockText.mode(e), BlockText.time(e.mtime),
                    BlockText.pids(l.holders(e), gaps && e.type == '-'));
        }
        if (t.size() == 0) {
            out.println("no blocks (" + NameFilter.of(all, prefix).describe()
                    + (all || prefix != null ? "" : "; --all shows every name") + ")");
        } else {
            t.print(out);
        }
        if (showUnlinked && !l.unlinked.isEmpty()) {
            out.println();
            out.println("unlinked but still mapped or open (the memory is freed when the last one lets go):");
            Table u = table();
            for (ShmEntry e : l.unlinked) {
                u.row(BlockText.name(e) + " (deleted)", BlockText.size(e), BlockText.owner(e), BlockText.mode(e),
                        BlockText.time(e.mtime), BlockText.pids(l.scan.holdersOf(e.key), false));
            }
            u.print(out);
        }
        reportGaps(l.scan);
        return ExitCode.OK;
    }

    private static Table table() {
        return new Table("NAME", "SIZE", "OWNER", "MODE", "MODIFIED", "PIDS").alignRight(1);
    }

    private void reportGaps(ProcScan scan) {
        if (scan.uninspected().isEmpty()) {
            return;
        }
        err().println("pyshm ls: " + scan.uninspected().size() + " of " + scan.processes()
                + " processes could not be inspected; they may map blocks shown without PIDs:");
        for (Uninspected u : scan.uninspected()) {
            err().println("  " + u.display());
        }
    }
}
