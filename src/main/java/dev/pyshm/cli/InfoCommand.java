package dev.pyshm.cli;

import dev.pyshm.internal.Json;
import dev.pyshm.internal.PyRepr;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code pyshm info NAME}: one block's fields, and whether it is a ShareableList. */
@Command(name = "info", sortOptions = false,
        header = "Show one block, and whether it is a ShareableList.",
        description = {
            "Show one block: path, size, owner, mode, times, the processes that map it, and whether it parses "
                + "as a CPython ShareableList (layout, length, format) or why not."})
final class InfoCommand extends Subcommand {
    @Parameters(paramLabel = "NAME", description = "The block name as CPython takes it, e.g. psm_1e06838e.")
    String name;

    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    @Override
    int run() throws Exception {
        ShmEntry e;
        try {
            e = ShmDir.entry(name);
        } catch (IOException | IllegalArgumentException x) {
            return fail(name, x);
        }
        ProcScan scan = ProcScan.scan(); // before attaching, so this process is not among the holders
        List<Holder> holders = e.type == '-' ? scan.holdersOf(e.key) : List.of();
        ListCheck list = ListCheck.of(name, e);
        if (json) {
            Json j = new Json();
            j.beginObject().name("block");
            BlockJson.block(j, e, holders);
            j.name("shareable_list").beginObject().name("valid").value(list.valid);
            if (list.valid) {
                j.name("layout").value(list.layout.name()).name("length").value(list.length).name("format").value(list.format);
            } else {
                j.name("reason").value(list.reason);
            }
            j.endObject().name("uninspected");
            BlockJson.uninspected(j, scan.uninspected());
            out().println(j.endObject());
            return ExitCode.OK;
        }
        PrintWriter out = out();
        out.println("name:      " + Names.display(e.name));
        out.println("path:      " + Names.file(name) + (e.target != null ? " -> " + Names.display(e.target) : ""));
        out.println("type:      " + e.typeWord());
        out.println("size:      " + e.size + " bytes (" + Units.human(e.size) + ")");
        out.println("owner:     " + e.owner + " (uid " + e.uid + ")");
        out.println("mode:      " + BlockText.mode(e));
        out.println("modified:  " + BlockText.time(e.mtime));
        out.println("changed:   " + BlockText.time(e.ctime));
        out.println("inode:     " + e.key.ino());
        out.println("pids:      " + BlockText.pids(holders, !scan.uninspected().isEmpty() && e.type == '-'));
        for (Uninspected u : scan.uninspected()) {
            out.println("           not inspected: " + u.display());
        }
        if (list.valid) {
            out.println("ShareableList: yes, layout " + list.layout.description() + " (" + list.layout.name() + "), "
                    + list.length + (list.length == 1 ? " item" : " items") + ", format " + PyRepr.str(list.format)
                    + (list.length == 0 ? " (any block that starts with 8 zero bytes reads as an empty list)" : ""));
        } else {
            out.println("ShareableList: no, " + list.reason);
        }
        return ExitCode.OK;
    }
}
