package dev.pyshm.cli;

import java.io.PrintWriter;

/**
 * A one-line progress indicator on stderr that rewrites itself ({@code \r}) and erases itself
 * when done; does nothing when disabled (output piped), so scripts see clean output.
 */
final class Progress {
    private static final long MIN_INTERVAL_NANOS = 200_000_000L;
    private final PrintWriter err;
    private final boolean enabled;
    private long last;
    private boolean shown;

    /**
     * Creates an indicator.
     *
     * @param err where to write
     * @param enabled whether to write at all
     */
    Progress(PrintWriter err, boolean enabled) {
        this.err = err;
        this.enabled = enabled;
    }

    /**
     * Shows a status now.
     *
     * @param text the status
     */
    void show(String text) {
        if (!enabled) {
            return;
        }
        err.print("\r\033[K" + text);
        err.flush();
        shown = true;
        last = System.nanoTime();
    }

    /**
     * Shows a status unless one was shown less than 200 ms ago.
     *
     * @param text the status
     */
    void tick(String text) {
        if (enabled && System.nanoTime() - last >= MIN_INTERVAL_NANOS) {
            show(text);
        }
    }

    /** Erases the indicator. */
    void clear() {
        if (enabled && shown) {
            err.print("\r\033[K");
            err.flush();
            shown = false;
        }
    }
}
