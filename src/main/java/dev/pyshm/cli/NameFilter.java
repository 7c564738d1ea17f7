package dev.pyshm.cli;

import dev.pyshm.internal.ShmName;

/**
 * Which blocks a command looks at: by default only generated names ({@code psm_*}), every name
 * with {@code --all}, or only names starting with {@code --prefix} (which tests use so that they
 * never touch anybody else's blocks).
 */
final class NameFilter {
    private final String prefix; // null: every name

    private NameFilter(String prefix) {
        this.prefix = prefix;
    }

    /**
     * Returns the filter for the options.
     *
     * @param all {@code --all}
     * @param prefix {@code --prefix}, or null
     * @return the filter: the prefix when given, else everything with {@code --all}, else {@code psm_}
     */
    static NameFilter of(boolean all, String prefix) {
        if (prefix != null) {
            return new NameFilter(prefix);
        }
        return new NameFilter(all ? null : ShmName.PREFIX);
    }

    /**
     * Whether a name passes.
     *
     * @param name the name
     * @return whether it passes
     */
    boolean test(String name) {
        return prefix == null || name.startsWith(prefix);
    }

    /**
     * Describes the filter for messages.
     *
     * @return e.g. {@code names starting with 'psm_'}
     */
    String describe() {
        return prefix == null ? "all names" : "names starting with " + dev.pyshm.internal.PyRepr.str(prefix);
    }
}
