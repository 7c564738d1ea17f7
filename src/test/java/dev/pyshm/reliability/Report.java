package dev.pyshm.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The reliability table: each scenario records one row (what was done, how many times, the
 * result, what was lost) in target/reliability/rows/, and every record re-renders
 * target/reliability/RELIABILITY.md from all rows present. Copy that file to the repository root
 * after a run: {@code mvn -B verify -Preliability && cp target/reliability/RELIABILITY.md .}
 */
final class Report {
    private static final Path DIR = Path.of(System.getProperty("pyshm.projectDir", "."), "target", "reliability");

    private Report() {
    }

    /**
     * Records a row.
     *
     * @param id a sortable id, e.g. {@code 1a}
     * @param scenario the scenario
     * @param done what was done
     * @param times how many times
     * @param result the observed result
     * @param lost what was lost (must be "nothing")
     */
    static synchronized void row(String id, String scenario, String done, String times, String result, String lost) {
        try {
            Files.createDirectories(DIR.resolve("rows"));
            String line = String.join("\t", id, scenario, done, times, result, lost, jvm());
            Files.writeString(DIR.resolve("rows").resolve(id + ".tsv"), line + "\n", StandardCharsets.UTF_8);
            render();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String jvm() {
        return "JDK " + Runtime.version().feature();
    }

    private static void render() throws IOException {
        TreeMap<String, String[]> rows = new TreeMap<>();
        try (Stream<Path> s = Files.list(DIR.resolve("rows"))) {
            for (Path p : (Iterable<Path>) s::iterator) {
                String[] f = Files.readString(p, StandardCharsets.UTF_8).strip().split("\t", -1);
                rows.put(f[0], f);
            }
        }
        List<String> out = new ArrayList<>();
        out.add("# Reliability");
        out.add("");
        out.add("What `mvn -B verify -Preliability` (run by CI: the profile is on whenever `CI` is set) did to pyshm on");
        out.add(ZonedDateTime.now().format(DateTimeFormatter.ISO_LOCAL_DATE) + ", on " + machine()
                + ". Reproduce: `mvn -B verify -Preliability && cp target/reliability/RELIABILITY.md .`");
        out.add("(or one scenario: `mvn -B verify -Preliability -Dit.test=SoakIT -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false`).");
        out.add("Every row is an automated test with assertions in `src/test/java/dev/pyshm/reliability/`; a row appears only");
        out.add("when its test passed.");
        out.add("");
        out.add("| # | scenario | what was done | how many times | result | what was lost |");
        out.add("|---|---|---|---|---|---|");
        for (String[] f : rows.values()) {
            out.add("| " + String.join(" | ", f[0], f[1], f[2], f[3], f[4] + " (" + f[6] + ")", f[5]) + " |");
        }
        Files.write(DIR.resolve("RELIABILITY.md"), out, StandardCharsets.UTF_8);
    }

    private static String machine() {
        long mem = 0;
        try {
            for (String l : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (l.startsWith("MemTotal:")) {
                    mem = Long.parseLong(l.replaceAll("\\D", "")) >> 20;
                }
            }
        } catch (IOException ignored) {
            // leave 0
        }
        return Runtime.getRuntime().availableProcessors() + " cores, " + mem + " GiB, Linux "
                + System.getProperty("os.version");
    }
}
