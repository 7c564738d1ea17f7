package dev.pyshm.testing;

import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test class that leaves a {@code /dev/shm} entry behind: every {@code pyshmtest_*} or
 * {@code psm_*} entry that appeared while the class ran must be gone when it ends. Registered for
 * every test class through JUnit's extension auto-detection. The leftovers are removed so that one
 * leak does not fail every later class.
 */
public final class NoStrayShm implements BeforeAllCallback, AfterAllCallback {
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(NoStrayShm.class);

    @Override
    public void beforeAll(ExtensionContext context) {
        context.getStore(NS).put("before", Shm.testEntries());
    }

    @Override
    @SuppressWarnings("unchecked")
    public void afterAll(ExtensionContext context) {
        Set<String> before = (Set<String>) context.getStore(NS).get("before");
        Set<String> stray = new TreeSet<>(Shm.testEntries());
        stray.removeAll(before);
        if (!stray.isEmpty()) {
            stray.forEach(Shm::remove);
            throw new AssertionError(context.getDisplayName() + " left /dev/shm entries behind: " + stray);
        }
    }
}
