package dev.pyshm.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The CPython interpreters under test: the paths in {@code PYSHM_PYTHONS} (separated by
 * {@code :} or spaces) if set, else every pyenv {@code 3.X >= 3.8} install.
 */
public final class Pythons {
    private static final Pattern VERSION = Pattern.compile("(\\d+)\\.(\\d+)\\.(\\d+)");
    private static List<Path> cached;

    private Pythons() {
    }

    /**
     * The interpreters, oldest first.
     *
     * @return their paths
     */
    public static synchronized List<Path> all() {
        if (cached != null) {
            return cached;
        }
        List<Path> out = new ArrayList<>();
        String env = System.getenv("PYSHM_PYTHONS");
        if (env != null && !env.isBlank()) {
            for (String p : env.trim().split("[:\\s]+")) {
                out.add(Path.of(p));
            }
        } else {
            Map<Integer, Path> byVersion = new TreeMap<>();
            Path root = Path.of(System.getProperty("user.home"), ".pyenv", "versions");
            if (Files.isDirectory(root)) {
                try (Stream<Path> s = Files.list(root)) {
                    s.forEach(d -> {
                        Matcher m = VERSION.matcher(d.getFileName().toString());
                        Path exe = d.resolve("bin/python3");
                        if (m.matches() && Files.isExecutable(exe)) {
                            int major = Integer.parseInt(m.group(1));
                            int minor = Integer.parseInt(m.group(2));
                            if (major == 3 && minor >= 8) {
                                byVersion.put(minor, exe);
                            }
                        }
                    });
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }
            out.addAll(byVersion.values());
        }
        cached = List.copyOf(out);
        return cached;
    }

    /**
     * The newest interpreter under test.
     *
     * @return its path
     */
    public static Path newest() {
        List<Path> all = all();
        if (all.isEmpty()) {
            throw new IllegalStateException("no CPython >= 3.8 found: set PYSHM_PYTHONS or install pyenv interpreters");
        }
        return all.get(all.size() - 1);
    }
}
