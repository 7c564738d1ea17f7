package dev.pyshm.testing;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a main class of the test class path in a fresh JVM, optionally under a shell prefix. */
public final class ChildJvm {
    private ChildJvm() {
    }

    /** What a child process did. */
    public static final class Result {
        /** Exit status. */
        public final int exit;
        /** Standard output. */
        public final String out;
        /** Standard error. */
        public final String err;

        Result(int exit, String out, String err) {
            this.exit = exit;
            this.out = out;
            this.err = err;
        }

        @Override
        public String toString() {
            return "exit=" + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    /**
     * The java executable of the running JVM.
     *
     * @return its path
     */
    public static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /**
     * Runs {@code main} with {@code args}.
     *
     * @param shellPrefix shell commands to run first (e.g. {@code "ulimit -n 256"}), or null
     * @param main the main class
     * @param jvmArgs extra JVM options
     * @param args program arguments
     * @return the result
     * @throws IOException when the process cannot start
     * @throws InterruptedException when interrupted
     */
    public static Result run(String shellPrefix, Class<?> main, List<String> jvmArgs, String... args)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(java());
        cmd.add("--enable-native-access=ALL-UNNAMED"); // JNA loads native code (JDK 24+ warns otherwise)
        cmd.addAll(jvmArgs);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(main.getName());
        cmd.addAll(List.of(args));
        List<String> full = cmd;
        if (shellPrefix != null) {
            full = new ArrayList<>(List.of("bash", "-c", shellPrefix + " && exec \"$@\"", "child"));
            full.addAll(cmd);
        }
        return exec(full, 300);
    }

    /**
     * Runs a command and collects its output.
     *
     * @param cmd the command
     * @param timeoutSeconds how long to wait before killing it
     * @return the result
     * @throws IOException when the process cannot start
     * @throws InterruptedException when interrupted
     */
    public static Result exec(List<String> cmd, int timeoutSeconds) throws IOException, InterruptedException {
        File out = File.createTempFile("pyshm-child", ".out");
        File err = File.createTempFile("pyshm-child", ".err");
        try {
            Process p = new ProcessBuilder(cmd).redirectOutput(out).redirectError(err).start();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor();
                throw new AssertionError("timed out after " + timeoutSeconds + " s: " + cmd);
            }
            return new Result(p.exitValue(), read(out), read(err));
        } finally {
            out.delete();
            err.delete();
        }
    }

    private static String read(File f) throws IOException {
        return new String(java.nio.file.Files.readAllBytes(f.toPath()), StandardCharsets.UTF_8);
    }
}
