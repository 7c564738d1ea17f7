package dev.pyshm.testing;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Runs a short CPython script as a child process. */
public final class Py {
    private Py() {
    }

    /**
     * Runs {@code python -c script args...} and returns what it did.
     *
     * @param python the interpreter
     * @param script the script
     * @param args {@code sys.argv[1:]}
     * @return the result
     * @throws IOException when the process cannot start
     * @throws InterruptedException when interrupted
     */
    public static ChildJvm.Result run(Path python, String script, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(python.toString(), "-c", script));
        cmd.addAll(List.of(args));
        return ChildJvm.exec(cmd, 120);
    }

    /**
     * Like {@link #run} but fails unless the script exits with 0; returns its stdout.
     *
     * @param python the interpreter
     * @param script the script
     * @param args {@code sys.argv[1:]}
     * @return stdout, trimmed
     * @throws IOException when the process cannot start
     * @throws InterruptedException when interrupted
     */
    public static String ok(Path python, String script, String... args) throws IOException, InterruptedException {
        ChildJvm.Result r = run(python, script, args);
        if (r.exit != 0) {
            throw new AssertionError(python + " failed: " + r);
        }
        return r.out.trim();
    }
}
