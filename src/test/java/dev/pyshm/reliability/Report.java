package dev.pyshm.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The reliability table: each scenario that passed records one row (what was done, how many times,
 * the result, what was lost) as a tab-separated file in target/reliability/rows/;
 * python-tests/reliability_report.py (run by {@code mvn verify} after the integration tests) renders
 * them into target/reliability/RELIABILITY.md.
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
            String line = String.join("\t", id, scenario, done, times, result, lost, "JDK " + Runtime.version().feature());
            Files.writeString(DIR.resolve("rows").resolve(id + ".tsv"), line + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
