package dev.pyshm.cli;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A snapshot of the blocks a command looks at: the {@code /dev/shm} entries that pass a filter,
 * the unlinked objects that processes still hold, and who holds what. The directory is read
 * before {@code /proc}, so a process that maps a block listed here and is running when the scan
 * reaches it is always seen.
 */
final class Listing {
    /** The {@code /dev/shm} entries, sorted by name. */
    final List<ShmEntry> linked;
    /** Unlinked objects still mapped or open, sorted by name. */
    final List<ShmEntry> unlinked;
    /** The process scan. */
    final ProcScan scan;

    private Listing(List<ShmEntry> linked, List<ShmEntry> unlinked, ProcScan scan) {
        this.linked = linked;
        this.unlinked = unlinked;
        this.scan = scan;
    }

    /**
     * Takes the snapshot.
     *
     * @param filter which names to keep (applies to unlinked objects too)
     * @return the snapshot
     * @throws IOException when {@code /dev/shm} or {@code /proc} cannot be listed
     */
    static Listing take(NameFilter filter) throws IOException {
        List<ShmEntry> linked = ShmDir.list(filter);
        ProcScan scan = ProcScan.scan();
        List<ShmEntry> unlinked = new ArrayList<>();
        for (ShmEntry e : scan.unlinked()) {
            if (filter.test(e.name)) {
                unlinked.add(e);
            }
        }
        return new Listing(linked, unlinked, scan);
    }

    /**
     * Returns the holders of an entry ({@code /dev/shm} symlinks and directories have none).
     *
     * @param e the entry
     * @return the holders
     */
    List<Holder> holders(ShmEntry e) {
        return e.type == '-' ? scan.holdersOf(e.key) : List.of();
    }
}
