package dev.pyshm.cli;

/** A process that maps a block or holds a file descriptor to it. */
final class Holder {
    /** The process id. */
    final long pid;
    /** The process name ({@code /proc/PID/comm}), or null when unknown. */
    final String comm;
    private boolean mapped;
    private boolean open;

    /**
     * Creates a holder with neither flag set.
     *
     * @param pid the process id
     * @param comm the process name
     */
    Holder(long pid, String comm) {
        this.pid = pid;
        this.comm = comm;
    }

    /** Records that the process maps the block. */
    void markMapped() {
        mapped = true;
    }

    /** Records that the process holds a file descriptor to the block. */
    void markOpen() {
        open = true;
    }

    /**
     * Whether the process maps the block.
     *
     * @return whether it maps it
     */
    boolean mapped() {
        return mapped;
    }

    /**
     * Whether the process holds a file descriptor to it.
     *
     * @return whether it holds one
     */
    boolean open() {
        return open;
    }

    /**
     * Returns how it holds the block, for JSON: {@code map}, {@code fd} or {@code map+fd}.
     *
     * @return the word
     */
    String how() {
        return mapped && open ? "map+fd" : mapped ? "map" : "fd";
    }

    /**
     * Returns the holder for a table cell: {@code 4711/python3}, with {@code [fd]} when it only
     * holds a descriptor.
     *
     * @return the text
     */
    String display() {
        return pid + (comm == null ? "" : "/" + Names.display(comm)) + (mapped ? "" : "[fd]");
    }
}
