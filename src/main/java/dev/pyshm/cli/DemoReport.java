package dev.pyshm.cli;

import java.io.PrintWriter;
import java.util.List;

/** The short table the demo prints at the end. */
final class DemoReport {
    private DemoReport() {
    }

    /**
     * Prints it.
     *
     * @param out where
     * @param python the interpreter as given
     * @param transfers one per worker
     * @param edit the ShareableList exchange
     * @param made the blocks the demo made
     * @param unlinkedByCleanup how many of them the cleanup had to unlink
     * @param left those still in /dev/shm
     */
    static void print(PrintWriter out, String python, List<Transfer> transfers, ListEdit edit, List<String> made,
            int unlinkedByCleanup, List<String> left) {
        Transfer first = transfers.get(0);
        out.println("pyshm demo: " + transfers.size() + " CPython " + first.version + " worker"
                + (transfers.size() == 1 ? "" : "s") + " (" + python + "), one " + Units.human(first.size) + " block each");
        out.println();
        Table t = new Table("WORKER", "PID", "BLOCK", "SIZE", "PYTHON FILL", "JAVA ATTACH+CHECK", "CRC32", "RESULT")
                .alignRight(0, 1, 4, 5);
        for (Transfer x : transfers) {
            t.row(Integer.toString(x.index), Long.toString(x.pid), x.name, Units.human(x.size),
                    Units.rate(x.size, (long) (x.pythonSeconds * 1e9)), Units.rate(x.size, x.check.nanos),
                    String.format("%08x", x.pythonCrc), x.result());
        }
        t.print(out);
        out.println();
        out.println("ShareableList " + edit.name + " (layout " + edit.layout.description() + "), made by Java, edited in place by worker "
                + edit.editor.index + " (CPython " + edit.editor.version + "):");
        out.println("  Java wrote:   " + edit.before);
        out.println("  Python made:  " + edit.after + (edit.ok() ? "" : "   EXPECTED " + edit.expected));
        out.println();
        int byWorkers = transfers.size();
        out.println("cleanup: " + made.size() + " blocks made (" + byWorkers + " by the workers, " + (made.size() - byWorkers)
                + " by Java), " + (unlinkedByCleanup == 0 ? "each unlinked by its creator" : unlinkedByCleanup + " unlinked by the cleanup")
                + "; " + (left.isEmpty() ? "none left in /dev/shm" : "LEFT IN /dev/shm: " + left));
    }
}
