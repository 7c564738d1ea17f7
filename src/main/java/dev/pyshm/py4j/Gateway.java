package dev.pyshm.py4j;

import dev.pyshm.internal.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import py4j.GatewayServer;

/**
 * Starts a Py4J gateway to pyshm for one Python client process:
 *
 * <pre>
 * java --enable-native-access=ALL-UNNAMED -cp target/pyshm.jar dev.pyshm.py4j.Gateway [options]
 *   --token-file PATH   write the auth token to PATH (created new, mode 0600, deleted at exit)
 *                       instead of printing it in the ready line
 *   --parent-pid PID    exit when this process exits (default: the parent process)
 *   --no-stdin-watch    do not exit at end of standard input
 *   --verbose           Py4J's own logging on standard error
 * </pre>
 *
 * <p><b>Security.</b> The server listens on 127.0.0.1 only, on a free port the kernel picks, and
 * requires Py4J's auth token on every connection: a connection that does not authenticate first is
 * refused. The token is 32 bytes from {@link SecureRandom}, new at every start. It reaches the
 * client through the ready line on standard output (a pipe only the parent reads) or a 0600 file;
 * never through the command line, which every local user can read in {@code /proc}.
 *
 * <p><b>Ready line.</b> Once listening, the gateway prints exactly one line of JSON on standard
 * output and nothing else there afterwards (diagnostics go to standard error):
 *
 * <pre>
 * {"pyshm_gateway": "ready", "address": "127.0.0.1", "port": 41234, "pid": 4321,
 *  "java_version": "17.0.15", "token": "9f…"}          (or "token_file": "/tmp/…/token")
 * </pre>
 *
 * <p><b>Lifetime.</b> The gateway exits with status 0 when its parent process exits or when its
 * standard input reaches end of file, whichever comes first (so it never outlives the Python
 * process that started it, even one killed with SIGKILL). Blocks it created and did not unlink are
 * then unlinked by pyshm's tracker, as CPython's resource tracker does for its creator.
 */
public final class Gateway {
    private static final PrintStream ERR = System.err;
    private static final AtomicBoolean STOPPING = new AtomicBoolean();

    private Gateway() {
    }

    /**
     * Runs the gateway until the parent goes away.
     *
     * @param args see the class description
     * @throws IOException when the token file cannot be written
     */
    public static void main(String[] args) throws IOException {
        Path tokenFile = null;
        Long parentPid = null;
        boolean watchStdin = true;
        boolean verbose = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--token-file":
                    tokenFile = Path.of(value(args, ++i));
                    break;
                case "--parent-pid":
                    parentPid = Long.parseLong(value(args, ++i));
                    break;
                case "--no-stdin-watch":
                    watchStdin = false;
                    break;
                case "--verbose":
                    verbose = true;
                    break;
                case "-h":
                case "--help":
                    System.out.println("usage: dev.pyshm.py4j.Gateway [--token-file PATH] [--parent-pid PID]"
                            + " [--no-stdin-watch] [--verbose]");
                    return;
                default:
                    usage("unknown option: " + args[i]);
            }
        }
        // The ready line is the only thing ever printed on stdout: keep everything else off it.
        PrintStream out = System.out;
        System.setOut(ERR);

        Optional<ProcessHandle> parent = parentPid == null ? ProcessHandle.current().parent() : ProcessHandle.of(parentPid);
        if (parent.isEmpty() || !parent.get().isAlive()) {
            ERR.println("pyshm gateway: parent process " + (parentPid == null ? "" : parentPid + " ")
                    + "is already gone; not starting");
            System.exit(3);
        }

        String token = newToken();
        if (tokenFile != null) {
            Files.createFile(tokenFile, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(tokenFile, token, StandardCharsets.US_ASCII);
            Path toDelete = tokenFile;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteQuietly(toDelete), "pyshm-gateway-token"));
        }
        if (verbose) {
            GatewayServer.turnLoggingOn();
        } else {
            GatewayServer.turnLoggingOff();
        }
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        GatewayServer server = new GatewayServer.GatewayServerBuilder()
                .entryPoint(new PyshmEntryPoint())
                .javaAddress(loopback)
                .javaPort(0)
                .callbackClient(GatewayServer.DEFAULT_PYTHON_PORT, loopback, token)
                .authToken(token)
                .build();
        server.start(true);
        parent.get().onExit().thenRun(() -> stop(server, "parent process " + parent.get().pid() + " exited"));

        Map<String, Object> ready = new LinkedHashMap<>();
        ready.put("pyshm_gateway", "ready");
        ready.put("address", loopback.getHostAddress());
        ready.put("port", server.getListeningPort());
        ready.put("pid", ProcessHandle.current().pid());
        ready.put("java_version", System.getProperty("java.version"));
        if (tokenFile != null) {
            ready.put("token_file", tokenFile.toAbsolutePath().toString());
        } else {
            ready.put("token", token);
        }
        out.println(Json.asciiObject(ready));
        out.flush();

        if (watchStdin) {
            drain(System.in);
            stop(server, "standard input closed");
        }
    }

    private static String value(String[] args, int i) {
        if (i >= args.length) {
            usage(args[i - 1] + " needs a value");
        }
        return args[i];
    }

    private static void usage(String problem) {
        ERR.println("pyshm gateway: " + problem);
        System.exit(2);
    }

    private static String newToken() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    private static void drain(InputStream in) {
        byte[] sink = new byte[4096];
        try {
            while (in.read(sink) >= 0) {
                // Input carries no commands; only its end matters.
            }
        } catch (IOException e) {
            ERR.println("pyshm gateway: reading standard input failed: " + e);
        }
    }

    private static void stop(GatewayServer server, String why) {
        if (!STOPPING.compareAndSet(false, true)) {
            return;
        }
        ERR.println("pyshm gateway: " + why + "; exiting");
        try {
            server.shutdown();
        } finally {
            System.exit(0);
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            ERR.println("pyshm gateway: cannot delete " + p + ": " + e);
        }
    }
}
