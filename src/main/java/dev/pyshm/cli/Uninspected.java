package dev.pyshm.cli;

/** A process whose mappings could not be read, and why. */
final class Uninspected {
    /** The process id. */
    final long pid;
    /** The process name, or null when unknown. */
    final String comm;
    /** The owner's uid, or -1 when unknown. */
    final int uid;
    /** Why, e.g. {@code permission denied}. */
    final String reason;

    /**
     * Creates the record.
     *
     * @param pid the process id
     * @param comm the process name
     * @param uid the owner's uid
     * @param reason why it could not be read
     */
    Uninspected(long pid, String comm, int uid, String reason) {
        this.pid = pid;
        this.comm = comm;
        this.uid = uid;
        this.reason = reason;
    }

    /**
     * Returns e.g. {@code 1 (process_api, uid 0): permission denied}.
     *
     * @return the text
     */
    String display() {
        return pid + " (" + (comm == null ? "?" : Names.display(comm)) + ", uid " + (uid < 0 ? "?" : uid) + "): " + reason;
    }
}
