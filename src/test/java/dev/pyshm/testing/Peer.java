package dev.pyshm.testing;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A CPython peer process (python-tests/peer.py) driven over its JSON line protocol. */
public final class Peer implements AutoCloseable {
    private final Process process;
    private final BufferedReader in;
    private final Writer out;
    private final JsonObject ready;
    private final Path python;

    private Peer(Path python, List<String> command, ProcessBuilder.Redirect stderr) throws IOException {
        this.python = python;
        process = new ProcessBuilder(command).redirectError(stderr).start();
        in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        out = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        String line = in.readLine();
        if (line == null) {
            process.destroyForcibly();
            throw new IOException(command + ": peer exited before its ready line");
        }
        ready = JsonParser.parseString(line).getAsJsonObject();
    }

    private static Path script() {
        return Path.of(System.getProperty("pyshm.projectDir", "."), "python-tests", "peer.py");
    }

    /**
     * Starts a peer.
     *
     * @param python the interpreter
     * @return the peer
     * @throws IOException when it does not start
     */
    public static Peer start(Path python) throws IOException {
        return new Peer(python, List.of(python.toString(), script().toString()), ProcessBuilder.Redirect.INHERIT);
    }

    /**
     * Starts a peer with any command that ends up running peer.py with stdin and stdout attached,
     * for example {@code docker exec -i CONTAINER python3 /opt/pyshm/python-tests/peer.py}.
     *
     * @param command the command
     * @param stderr where the peer's stderr (and its resource tracker's) goes
     * @return the peer; {@link #python()} is null
     * @throws IOException when it does not start or exits before its ready line
     */
    public static Peer command(List<String> command, ProcessBuilder.Redirect stderr) throws IOException {
        return new Peer(null, List.copyOf(command), stderr);
    }

    /**
     * The interpreter version, e.g. {@code 3.12.1}.
     *
     * @return the version
     */
    public String version() {
        return ready.get("version").getAsString();
    }

    /**
     * The ShareableList layout of this interpreter.
     *
     * @return {@code PY38} or {@code PY39}
     */
    public String layout() {
        return ready.get("layout").getAsString();
    }

    /**
     * The interpreter path.
     *
     * @return the path, or null for a peer started by {@link #command}
     */
    public Path python() {
        return python;
    }

    /**
     * Sends a request and returns the reply, whatever it says.
     *
     * @param request the request object
     * @return the reply
     * @throws IOException when the peer is gone
     */
    public JsonObject call(JsonObject request) throws IOException {
        out.write(request.toString());
        out.write('\n');
        out.flush();
        String line = in.readLine();
        if (line == null) {
            throw new IOException("peer " + version() + " exited");
        }
        return JsonParser.parseString(line).getAsJsonObject();
    }

    /**
     * Sends {@code op} with alternating key/value fields and fails unless the reply is ok.
     *
     * @param op the op
     * @param kv keys and values (values: String, Number, Boolean, JsonElement, or a ShareableList value)
     * @return the reply
     * @throws IOException when the peer is gone
     */
    public JsonObject ok(String op, Object... kv) throws IOException {
        JsonObject r = call(request(op, kv));
        if (!r.get("ok").getAsBoolean()) {
            throw new AssertionError("peer " + version() + " " + op + " failed: " + r.get("error"));
        }
        return r;
    }

    /**
     * Sends {@code op} and fails unless the reply is an error; returns the error object.
     *
     * @param op the op
     * @param kv keys and values
     * @return the error object (type, errno, message, ...)
     * @throws IOException when the peer is gone
     */
    public JsonObject error(String op, Object... kv) throws IOException {
        JsonObject r = call(request(op, kv));
        if (r.get("ok").getAsBoolean()) {
            throw new AssertionError("peer " + version() + " " + op + " unexpectedly succeeded: " + r);
        }
        return r.getAsJsonObject("error");
    }

    private static JsonObject request(String op, Object... kv) {
        JsonObject o = new JsonObject();
        o.addProperty("op", op);
        for (int i = 0; i < kv.length; i += 2) {
            String k = (String) kv[i];
            Object v = kv[i + 1];
            o.add(k, v instanceof JsonElement ? (JsonElement) v : PyJson.json(v));
        }
        return o;
    }

    @Override
    public void close() throws IOException {
        try {
            out.close();
        } catch (IOException ignored) {
            // already gone
        }
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
