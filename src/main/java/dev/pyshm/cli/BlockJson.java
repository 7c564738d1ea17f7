package dev.pyshm.cli;

import dev.pyshm.internal.Json;
import java.util.Collection;
import java.util.List;

/** How a block and the scan's gaps look in JSON. */
final class BlockJson {
    private BlockJson() {
    }

    /**
     * Writes one block as an object.
     *
     * @param j the writer
     * @param e the entry
     * @param holders its holders
     */
    static void block(Json j, ShmEntry e, List<Holder> holders) {
        j.beginObject();
        j.name("name").value(e.name);
        j.name("type").value(e.typeWord());
        if (e.target != null) {
            j.name("target").value(e.target);
        }
        j.name("deleted").value(e.deleted());
        if (e.known()) {
            j.name("size").value(e.size);
            j.name("uid").value(e.uid);
            j.name("owner").value(e.owner);
            j.name("mode").value(e.octal());
            j.name("perms").value(e.perms());
            j.name("mtime").value(e.mtime.toString());
            j.name("inode").value(e.key.ino());
        } else {
            j.name("size").nullValue();
            j.name("mapped_extent").value(e.size);
            j.name("inode").value(e.key.ino());
        }
        j.name("holders").beginArray();
        for (Holder h : holders) {
            j.beginObject().name("pid").value(h.pid).name("comm").value(h.comm).name("how").value(h.how()).endObject();
        }
        j.endArray();
        j.endObject();
    }

    /**
     * Writes the processes that could not be inspected as an array.
     *
     * @param j the writer
     * @param list the processes
     */
    static void uninspected(Json j, Collection<Uninspected> list) {
        j.beginArray();
        for (Uninspected u : list) {
            j.beginObject().name("pid").value(u.pid).name("comm").value(u.comm);
            if (u.uid >= 0) {
                j.name("uid").value(u.uid);
            } else {
                j.name("uid").nullValue();
            }
            j.name("reason").value(u.reason).endObject();
        }
        j.endArray();
    }
}
