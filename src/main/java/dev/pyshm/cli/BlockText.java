package dev.pyshm.cli;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.stream.Collectors;

/** How a block's fields look in tables and in {@code info}. */
final class BlockText {
    private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
            .withZone(ZoneId.systemDefault());

    private BlockText() {
    }

    /**
     * Returns the name cell: the name, and the target for a symbolic link.
     *
     * @param e the entry
     * @return e.g. {@code psm_ab12cd34} or {@code link -> psm_ab12cd34}
     */
    static String name(ShmEntry e) {
        return Names.display(e.name) + (e.target != null ? " -> " + Names.display(e.target) : "");
    }

    /**
     * Returns the size in bytes, {@code >=N} when only a mapped extent is known.
     *
     * @param e the entry
     * @return the text
     */
    static String size(ShmEntry e) {
        return e.known() ? Long.toString(e.size) : ">=" + e.size;
    }

    /**
     * Returns {@code user(uid)}.
     *
     * @param e the entry
     * @return the text, {@code ?} when unknown
     */
    static String owner(ShmEntry e) {
        if (!e.known()) {
            return "?";
        }
        return e.owner.equals(Integer.toString(e.uid)) ? e.owner : e.owner + "(" + e.uid + ")";
    }

    /**
     * Returns {@code 0600 -rw-------}.
     *
     * @param e the entry
     * @return the text, {@code ?} when unknown
     */
    static String mode(ShmEntry e) {
        return e.known() ? e.octal() + " " + e.perms() : "?";
    }

    /**
     * Returns a local time, e.g. {@code 2026-11-24 02:13:55}.
     *
     * @param t the time, or null
     * @return the text, {@code ?} when null
     */
    static String time(Instant t) {
        return t == null ? "?" : LOCAL.format(t);
    }

    /**
     * Returns the holders, {@code -} when none, {@code ?} when none was found but some process
     * could not be inspected.
     *
     * @param holders the holders
     * @param someUninspected whether the scan missed some process
     * @return the text
     */
    static String pids(List<Holder> holders, boolean someUninspected) {
        if (holders.isEmpty()) {
            return someUninspected ? "?" : "-";
        }
        return holders.stream().map(Holder::display).collect(Collectors.joining(","));
    }
}
