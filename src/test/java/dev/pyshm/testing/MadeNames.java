package dev.pyshm.testing;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Unique block names for one test, each removed from /dev/shm after the test whatever happened.
 * Use as {@code @RegisterExtension final MadeNames made = new MadeNames();}.
 */
public final class MadeNames implements AfterEachCallback {
    private final List<String> made = new ArrayList<>();

    /**
     * A new unique name ({@link Shm#uniqueName}), remembered for removal.
     *
     * @param tag a readable tag
     * @return the name
     */
    public String name(String tag) {
        String n = Shm.uniqueName(tag);
        made.add(n);
        return n;
    }

    /**
     * Remembers a name something else chose (e.g. a generated one), for removal.
     *
     * @param name the name
     * @return the name
     */
    public String remember(String name) {
        made.add(name);
        return name;
    }

    @Override
    public void afterEach(ExtensionContext context) {
        made.forEach(Shm::remove);
        made.clear();
    }
}
