package dev.pyshm.cli;

import dev.pyshm.ShareableList;
import dev.pyshm.internal.PyRepr;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * The demo's second half: Java creates a ShareableList (in the layout the worker's CPython reads),
 * the worker attaches and edits it in place, Java reads the result and unlinks the block.
 */
final class ListEdit {
    /** The block name. */
    final String name;
    /** Its layout. */
    final ShareableList.Layout layout;
    /** The list as Java wrote it, Python repr. */
    final String before;
    /** The list after the worker's edit, Python repr. */
    final String after;
    /** What the worker's edit must produce, Python repr. */
    final String expected;
    /** Which worker and CPython edited it. */
    final Transfer editor;

    private ListEdit(String name, ShareableList.Layout layout, String before, String after, String expected, Transfer editor) {
        this.name = name;
        this.layout = layout;
        this.before = before;
        this.after = after;
        this.expected = expected;
        this.editor = editor;
    }

    /**
     * Runs the exchange with a worker.
     *
     * @param w the worker
     * @param t what is known about it (its CPython version)
     * @param cleanup where the new block is registered at once
     * @return the outcome
     * @throws IOException when the list cannot be created
     * @throws CliException when the worker fails
     * @throws InterruptedException when interrupted
     */
    static ListEdit run(Worker w, Transfer t, DemoCleanup cleanup) throws IOException, CliException, InterruptedException {
        ShareableList.Layout layout = t.version.startsWith("3.8.") ? ShareableList.Layout.PY38 : ShareableList.Layout.PY39;
        List<Object> values = Arrays.asList(7L, 2.5, true, null, "hello from Java", "java".getBytes(StandardCharsets.US_ASCII));
        long minor = Long.parseLong(t.version.split("\\.")[1]);
        String expected = PyRepr.list(Arrays.asList(42L, 5.0, false, minor, "CPython " + t.version,
                "cpython".getBytes(StandardCharsets.US_ASCII)));
        try (ShareableList sl = ShareableList.create(null, values, layout)) {
            String name = sl.shm().name();
            cleanup.block(name);
            String before = PyRepr.list(sl);
            w.send("edit " + name);
            w.expect("edited");
            String after = PyRepr.list(sl);
            sl.shm().unlink();
            return new ListEdit(name, layout, before, after, expected, t);
        }
    }

    /**
     * Whether the worker's edit arrived exactly.
     *
     * @return whether the list is as expected
     */
    boolean ok() {
        return after.equals(expected);
    }
}
