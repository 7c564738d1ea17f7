package dev.pyshm.cli;

/** What one demo worker did and what Java found in its block. */
final class Transfer {
    /** The worker's number, from 1. */
    final int index;
    /** The worker's pid. */
    long pid;
    /** The worker's CPython version. */
    String version;
    /** The block's name. */
    String name;
    /** The block's size. */
    long size;
    /** The CRC-32 the worker computed. */
    long pythonCrc;
    /** Seconds the worker took to fill the block. */
    double pythonSeconds;
    /** Java's check, once done. */
    BlockCheck check;

    /**
     * Creates the record.
     *
     * @param index the worker's number
     */
    Transfer(int index) {
        this.index = index;
    }

    /**
     * Whether Java found exactly what the worker wrote.
     *
     * @return whether the CRC and every element matched
     */
    boolean ok() {
        return check != null && check.crc == pythonCrc && check.firstBadElement < 0;
    }

    /**
     * Describes the outcome.
     *
     * @return {@code ok}, or what did not match
     */
    String result() {
        if (check == null) {
            return "not checked";
        }
        if (check.crc != pythonCrc) {
            return String.format("CRC MISMATCH (Java %08x)", check.crc);
        }
        if (check.firstBadElement >= 0) {
            return "WRONG ELEMENT " + check.firstBadElement;
        }
        return "ok";
    }
}
