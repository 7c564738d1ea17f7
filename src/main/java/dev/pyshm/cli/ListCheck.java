package dev.pyshm.cli;

import dev.pyshm.ShareableList;
import dev.pyshm.SharedMemory;
import java.io.IOException;

/** Whether a block parses as a CPython ShareableList, and its shape or the reason it does not. */
final class ListCheck {
    /** Whether it is a valid list. */
    final boolean valid;
    /** Its layout, when valid. */
    final ShareableList.Layout layout;
    /** Its length, when valid. */
    final int length;
    /** Its struct format, when valid. */
    final String format;
    /** Why it is not a list (the library's message), when not valid. */
    final String reason;

    private ListCheck(boolean valid, ShareableList.Layout layout, int length, String format, String reason) {
        this.valid = valid;
        this.layout = layout;
        this.length = length;
        this.format = format;
        this.reason = reason;
    }

    /**
     * Attaches (read-write, as CPython; never modifies it), validates and closes.
     *
     * @param name the block name
     * @param e its directory entry
     * @return the result
     */
    static ListCheck of(String name, ShmEntry e) {
        if (e.type != '-') {
            return new ListCheck(false, null, 0, null, "not a regular file (" + e.typeWord() + ")");
        }
        try (ShareableList sl = ShareableList.attach(name, null, SharedMemory.Options.defaults().readOnly(true))) {
            return new ListCheck(true, sl.layout(), sl.size(), sl.format(), null);
        } catch (IllegalStateException x) {
            return new ListCheck(false, null, 0, null, x.getMessage());
        } catch (IOException | RuntimeException x) {
            return new ListCheck(false, null, 0, null, "cannot open it: " + x.getMessage());
        }
    }
}
