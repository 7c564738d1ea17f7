package dev.pyshm.cli;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import picocli.CommandLine;

/** Runs the {@code pyshm} command in this JVM, the way {@code main} does, and captures what it printed. */
final class Cli {
    /** What one run did. */
    static final class Run {
        final int exit;
        final String out;
        final String err;
        final byte[] raw;

        Run(int exit, String out, String err, byte[] raw) {
            this.exit = exit;
            this.out = out;
            this.err = err;
            this.raw = raw;
        }

        JsonObject json() {
            return JsonParser.parseString(out).getAsJsonObject();
        }

        @Override
        public String toString() {
            return "exit=" + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    private Cli() {
    }

    static Run run(String... args) {
        return runWithInput(new byte[0], args);
    }

    static Run runWithInput(byte[] stdin, String... args) {
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new Main(new Io(new ByteArrayInputStream(stdin), raw)));
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int exit = cl.execute(args);
        return new Run(exit, out.toString(), err.toString(), raw.toByteArray());
    }

    /**
     * The processes this JVM cannot inspect right now (e.g. PID 1 of some sandboxes even for
     * root), as {@code --ignore-pid} arguments: gc tests vouch for them, since they cannot know
     * the blocks a test makes.
     */
    static List<String> ignoreUninspectable() {
        Run r = run("ls", "--json", "--prefix", "pyshmtest_no_such_prefix_");
        List<String> args = new ArrayList<>();
        for (JsonElement u : r.json().getAsJsonArray("uninspected")) {
            args.add("--ignore-pid");
            args.add(u.getAsJsonObject().get("pid").getAsString());
        }
        return args;
    }

    static String[] args(List<String> extra, String... args) {
        List<String> all = new ArrayList<>(Arrays.asList(args));
        all.addAll(extra);
        return all.toArray(new String[0]);
    }
}
