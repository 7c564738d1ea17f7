package dev.pyshm.cli;

import dev.pyshm.SharedMemory;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Everything the demo started or made, undone exactly once: on the normal path, on a failure, or
 * from a JVM shutdown hook (Ctrl-C, SIGTERM). Workers are asked to finish first (their stdin is
 * closed, so they unlink their own blocks and their resource trackers stay quiet); then any block
 * the demo made that still exists is unlinked here.
 */
final class DemoCleanup {
    private static final long GRACE_MILLIS = 3000;

    private final List<Worker> workers = new ArrayList<>();
    private final Set<String> blocks = new LinkedHashSet<>();
    private final Thread hook = new Thread(this::fromHook, "pyshm-demo-cleanup");
    private final PrintStream hookErr;
    private boolean done;
    private int unlinkedHere;

    /**
     * Creates the cleanup.
     *
     * @param hookErr where the shutdown hook reports (System.err: picocli's writers may be gone then)
     */
    DemoCleanup(PrintStream hookErr) {
        this.hookErr = hookErr;
    }

    /** Registers the shutdown hook. */
    void install() {
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /**
     * Adds a worker to stop.
     *
     * @param w the worker
     * @return the worker
     */
    synchronized Worker worker(Worker w) {
        workers.add(w);
        if (done) {
            w.kill(); // started while the JVM was already shutting down
        }
        return w;
    }

    /**
     * Adds a block to remove if it still exists at the end.
     *
     * @param name the block
     */
    synchronized void block(String name) {
        blocks.add(name);
        if (done) {
            unlinkIfPresent(name); // made while the JVM was already shutting down
        }
    }

    /**
     * Returns the blocks the demo made.
     *
     * @return their names
     */
    synchronized List<String> blocks() {
        return new ArrayList<>(blocks);
    }

    /**
     * Returns how many blocks cleanup itself had to unlink (their creator had not).
     *
     * @return the count
     */
    synchronized int unlinkedHere() {
        return unlinkedHere;
    }

    /**
     * Undoes everything (once) and removes the shutdown hook.
     *
     * @return the blocks that could not be removed (empty when all is clean)
     */
    List<String> run() {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or will run; run() below is idempotent
        }
        return undo();
    }

    private void fromHook() {
        boolean had;
        synchronized (this) {
            had = !done && (!workers.isEmpty() || !blocks.isEmpty());
        }
        List<String> left = undo();
        if (had) {
            hookErr.println("pyshm demo: interrupted; stopped the workers and removed every block the demo made"
                    + (left.isEmpty() ? "" : " except " + left));
        }
    }

    private synchronized List<String> undo() {
        if (done) {
            return leftovers();
        }
        done = true;
        for (Worker w : workers) {
            w.closeInput();
        }
        long deadline = System.nanoTime() + GRACE_MILLIS * 1_000_000L;
        for (Worker w : workers) {
            try {
                long left = Math.max(1, (deadline - System.nanoTime()) / 1_000_000L);
                if (!w.waitFor(left)) {
                    w.kill();
                    w.waitFor(GRACE_MILLIS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                w.kill();
            }
        }
        for (String name : blocks) {
            unlinkIfPresent(name);
        }
        return leftovers();
    }

    private void unlinkIfPresent(String name) {
        if (exists(name)) {
            try {
                SharedMemory.unlink(name);
                unlinkedHere++;
            } catch (IOException | RuntimeException gone) {
                // removed meanwhile (a crashed worker's resource tracker), or reported as left over
            }
        }
    }

    private List<String> leftovers() {
        List<String> left = new ArrayList<>();
        for (String name : blocks) {
            if (exists(name)) {
                left.add(name);
            }
        }
        return left;
    }

    private static boolean exists(String name) {
        return Files.exists(Names.file(name), LinkOption.NOFOLLOW_LINKS);
    }
}
