package dev.pyshm.containers;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * Collects the {@link Check} results of the container tests into one row of the interop matrix
 * (rows = CPython versions, columns = checks, cells = pass / fail / skip) and writes it to
 * {@code target/interop-matrix-containers.md} and {@code .json} after every test class, so the
 * README's matrix can take the CPython 3.14 row from the last container run.
 */
final class MatrixRecorder implements TestWatcher, AfterAllCallback {
    static final String SHM_PY_JAVA = "SharedMemory py→java";
    static final String SHM_JAVA_PY = "SharedMemory java→py";
    static final String SIZES = "sizes 1 B … 3 GiB";
    static final String SL_PY_JAVA = "ShareableList py→java";
    static final String SL_JAVA_PY = "ShareableList java→py";
    static final String SL_BYTES = "ShareableList bytes = CPython's";
    static final String ERRORS = "error parity";
    static final String TRACK_DEFAULT = "tracker: attach unlinks at exit";
    static final String TRACK_FALSE = "tracker: track=False keeps";
    static final String TRACK_UNREGISTER = "tracker: unregister keeps";
    static final String TRACK_SL = "tracker: ShareableList attach unlinks";
    static final String POD = "pod: Java ↔ CPython containers";
    static final String UID = "other uid: EACCES";

    /** The columns, in order, with what a "pass" means. */
    static final Map<String, String> COLUMNS = new LinkedHashMap<>();

    static {
        COLUMNS.put(SHM_PY_JAVA, "CPython creates (explicit and generated name), the host JVM attaches, both see each other's writes, same repr");
        COLUMNS.put(SHM_JAVA_PY, "the host JVM creates, CPython attaches (track=False), both see each other's writes, same repr");
        COLUMNS.put(SIZES, "1 B, 4097 B, 1 MiB (SHA-256 both ways) and a sparse 3 GiB block (offsets past 2 GiB both ways)");
        COLUMNS.put(SL_PY_JAVA, "CPython's ShareableList (tricky values) read by Java: layout, format, values, repr; Java's writes seen by CPython");
        COLUMNS.put(SL_JAVA_PY, "Java's ShareableList read by CPython: format, values; CPython's writes seen by Java");
        COLUMNS.put(SL_BYTES, "the same values give byte-identical blocks from CPython and from Java");
        COLUMNS.put(ERRORS, "missing name (errno 2), existing name (17), size 0 and size -1 (ValueError text), name of 256 bytes (36), '/' inside and empty name (22), double unlink (2): same on both sides");
        COLUMNS.put(TRACK_DEFAULT, "CPython attaches a Java-created block with the default track=True and exits: its resource tracker unlinks the block, with the leak warning");
        COLUMNS.put(TRACK_FALSE, "the same with track=False: the block survives, no tracker output");
        COLUMNS.put(TRACK_UNREGISTER, "default track + resource_tracker.unregister after attaching: the block survives");
        COLUMNS.put(TRACK_SL, "CPython attaches a Java-created ShareableList (always tracked) and exits: the tracker unlinks it");
        COLUMNS.put(POD, "a CPython worker container (--ipc shareable) and a Java container (--ipc container:worker) exchange a block and a ShareableList both ways; the host's /dev/shm sees none of them and the pod sees none of the host's; in the pod's 64 MiB /dev/shm a 100 MiB create with reserve(true) fails with ENOSPC");
        COLUMNS.put(UID, "CPython as uid 65534 cannot attach the host JVM's 0600 block (PermissionError, errno 13); Java as uid 65534 cannot attach CPython's 0600 block (AccessDeniedException)");
    }

    private static final Map<String, List<String>> OUTCOMES = new LinkedHashMap<>();
    private static String version;
    private static String podJava;
    private static String unavailable;
    private static String unavailableCell;

    /**
     * Records the CPython version the row is about (from the peer's ready line).
     *
     * @param v e.g. {@code 3.14.10}
     */
    static synchronized void version(String v) {
        version = v;
    }

    /**
     * Records the JDK that ran inside the Java containers.
     *
     * @param v e.g. {@code 25.0.3}
     */
    static synchronized void podJava(String v) {
        podJava = v;
    }

    /**
     * Records that the container tests could not run, and writes the file saying so.
     *
     * @param why the reason
     * @param required whether they had to run ({@code PYSHM_REQUIRE_DOCKER=1}): cells say fail, else skip
     */
    static synchronized void unavailable(String why, boolean required) {
        unavailable = (required ? "failed, " + DockerRequired.REQUIRE + "=1: " : "skipped: ") + why;
        unavailableCell = required ? "fail" : "skip";
        write();
    }

    @Override
    public void testSuccessful(ExtensionContext context) {
        record(context, "pass");
    }

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        record(context, "fail");
    }

    @Override
    public void testAborted(ExtensionContext context, Throwable cause) {
        record(context, "skip: " + cause.getMessage());
    }

    @Override
    public void testDisabled(ExtensionContext context, Optional<String> reason) {
        record(context, "skip: " + reason.orElse("disabled"));
    }

    @Override
    public void afterAll(ExtensionContext context) {
        synchronized (MatrixRecorder.class) {
            write();
        }
    }

    private static void record(ExtensionContext context, String outcome) {
        Optional<Method> m = context.getTestMethod();
        Check check = m.map(x -> x.getAnnotation(Check.class)).orElse(null);
        if (check == null) {
            return;
        }
        if (!COLUMNS.containsKey(check.value())) {
            throw new IllegalStateException("unknown matrix column: " + check.value());
        }
        synchronized (MatrixRecorder.class) {
            OUTCOMES.computeIfAbsent(check.value(), k -> new ArrayList<>()).add(outcome);
        }
    }

    private static String cell(String column) {
        List<String> o = OUTCOMES.get(column);
        if (o == null || o.isEmpty()) {
            return unavailableCell != null ? unavailableCell : "not run";
        }
        if (o.contains("fail")) {
            return "fail";
        }
        for (String s : o) {
            if (!s.equals("pass")) {
                return s;
            }
        }
        return "pass";
    }

    private static void write() {
        Path dir = Path.of(System.getProperty("pyshm.projectDir", "."), "target");
        String label = (version != null ? version : "3.14") + " (container)";
        StringBuilder md = new StringBuilder();
        md.append("<!-- written by the container tests (src/test/java/dev/pyshm/containers); image ")
                .append(Engine.PYTHON314).append("; host JVM ").append(System.getProperty("java.version"))
                .append("; JVM in the pod containers ").append(podJava != null ? podJava : "n/a").append(" -->\n");
        if (unavailable != null) {
            md.append("<!-- ").append(unavailable).append(" -->\n");
        }
        md.append("| CPython |");
        COLUMNS.keySet().forEach(c -> md.append(' ').append(c).append(" |"));
        md.append("\n|---|");
        COLUMNS.keySet().forEach(c -> md.append("---|"));
        md.append("\n| ").append(label).append(" |");
        COLUMNS.keySet().forEach(c -> md.append(' ').append(cell(c).replace("|", "\\|")).append(" |"));
        md.append("\n\n");
        COLUMNS.forEach((c, what) -> md.append("- **").append(c).append("**: ").append(what).append('\n'));

        JsonObject row = new JsonObject();
        row.addProperty("cpython", version);
        row.addProperty("label", label);
        row.addProperty("image", Engine.PYTHON314);
        row.addProperty("host_java", System.getProperty("java.version"));
        row.addProperty("pod_java", podJava);
        if (unavailable != null) {
            row.addProperty("not_run", unavailable);
        }
        JsonObject cells = new JsonObject();
        COLUMNS.keySet().forEach(c -> cells.addProperty(c, cell(c)));
        row.add("cells", cells);
        JsonObject root = new JsonObject();
        JsonArray columns = new JsonArray();
        COLUMNS.forEach((c, what) -> {
            JsonObject col = new JsonObject();
            col.addProperty("name", c);
            col.addProperty("checks", what);
            columns.add(col);
        });
        root.add("columns", columns);
        JsonArray rows = new JsonArray();
        rows.add(row);
        root.add("rows", rows);
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("interop-matrix-containers.md"), md, StandardCharsets.UTF_8);
            Files.writeString(dir.resolve("interop-matrix-containers.json"),
                    new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(root) + "\n",
                    StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
