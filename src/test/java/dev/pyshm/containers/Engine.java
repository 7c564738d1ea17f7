package dev.pyshm.containers;

import com.github.dockerjava.api.model.AccessMode;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Volume;
import dev.pyshm.testing.ChildJvm;
import dev.pyshm.testing.Peer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.output.ToStringConsumer;
import org.testcontainers.containers.startupcheck.OneShotStartupCheckStrategy;
import org.testcontainers.utility.DockerImageName;

/**
 * The local Docker engine and pyshm's offline images (docker/build-base-images.sh), as the
 * container tests use them. Every container has no network; images are never pulled.
 *
 * <p>CPython peers run through {@code docker exec -i} in a keeper container whose PID 1 is
 * {@code tini} + {@code sleep infinity}, never as PID 1 themselves: when a container's PID 1 exits,
 * the kernel kills the rest of its PID namespace, including CPython's resource tracker, before it
 * can clean up (docker/NOTES-3.14.md). Exec'd, the peer's tracker outlives the peer and does what
 * it does on a host.
 */
final class Engine {
    /** CPython 3.14 (Debian sid). */
    static final String PYTHON314 = System.getProperty("pyshm.image.python314", "pyshm/sid-python3.14:latest");
    /** Debian 12 with python3 (3.11), the base of the Java containers (a host JDK is mounted in). */
    static final String BOOKWORM = System.getProperty("pyshm.image.bookworm", "pyshm/bookworm-python:latest");
    /** Where python-tests/ is mounted in a keeper. */
    static final String PEER = "/opt/pyshm/python-tests/peer.py";
    /** Set on every container these tests start; docker/engine.sh stop removes leftovers by it. */
    static final String LABEL = "dev.pyshm.test";
    /** The uid of {@code nobody}. */
    static final String NOBODY = "65534";

    private static final Path PROJECT = Path.of(System.getProperty("pyshm.projectDir", ".")).toAbsolutePath();
    private static String unavailable;
    private static boolean checked;

    private Engine() {
    }

    /**
     * Why the container tests cannot run here, or null when they can: an engine must answer, and
     * both images must exist locally. Checked once per JVM.
     *
     * @return the reason, one line
     */
    static synchronized String unavailableReason() {
        if (!checked) {
            checked = true;
            unavailable = check();
        }
        return unavailable;
    }

    private static String check() {
        String host = System.getenv().getOrDefault("DOCKER_HOST", "unix:///var/run/docker.sock");
        ChildJvm.Result v;
        try {
            v = ChildJvm.exec(List.of("docker", "version", "--format", "{{.Server.Version}}"), 30);
        } catch (IOException e) {
            return "no `docker` command on PATH (" + e.getMessage() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted while asking the engine";
        } catch (AssertionError e) {
            return "the Docker engine at " + host + " did not answer within 30 s";
        }
        if (v.exit != 0) {
            return "no Docker engine answers at " + host + " (" + firstLine(v.err) + ")";
        }
        for (String image : List.of(PYTHON314, BOOKWORM)) {
            try {
                ChildJvm.Result i = ChildJvm.exec(List.of("docker", "image", "inspect", "-f", "{{.Id}}", image), 30);
                if (i.exit != 0) {
                    return "image " + image + " is not in the local engine (build it: docker/build-base-images.sh)";
                }
            } catch (IOException | InterruptedException | AssertionError e) {
                return "cannot inspect image " + image + ": " + e;
            }
        }
        if (!DockerClientFactory.instance().isDockerAvailable()) {
            return "Testcontainers cannot reach the engine at " + host + " that the docker command reaches";
        }
        return null;
    }

    private static String firstLine(String s) {
        String t = s.strip();
        int nl = t.indexOf('\n');
        return nl < 0 ? t : t.substring(0, nl);
    }

    /**
     * A long-running container to exec CPython peers in: {@code python-tests/} mounted read-only,
     * no network, the given IPC mode ({@code host}, {@code shareable}, {@code container:ID}).
     *
     * @param image the image
     * @param ipcMode the IPC mode
     * @return the container, not started
     */
    static GenericContainer<?> keeper(String image, String ipcMode) {
        return new GenericContainer<>(DockerImageName.parse(image))
                .withImagePullPolicy(name -> false)
                .withLabel(LABEL, "true")
                .withNetworkMode("none")
                .withCreateContainerCmdModifier(cmd -> {
                    HostConfig hc = cmd.getHostConfig();
                    hc.withIpcMode(ipcMode).withInit(true)
                            .withBinds(new Bind(PROJECT.resolve("python-tests").toString(),
                                    new Volume("/opt/pyshm/python-tests"), AccessMode.ro));
                })
                .withCommand("sleep", "infinity");
    }

    /**
     * Starts python-tests/peer.py in a running keeper with {@code docker exec -i}.
     *
     * @param keeper the keeper
     * @param user the uid to run as, or null for the image's (root)
     * @param stderr where the peer's and its resource tracker's stderr goes
     * @return the peer
     * @throws IOException when it does not start
     */
    static Peer peer(GenericContainer<?> keeper, String user, ProcessBuilder.Redirect stderr) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("docker", "exec", "-i"));
        if (user != null) {
            cmd.addAll(List.of("-u", user));
        }
        cmd.addAll(List.of(keeper.getContainerId(), "python3", PEER));
        return Peer.command(cmd, stderr);
    }

    /**
     * The live (non-zombie) python processes in a container.
     *
     * @param keeper the keeper
     * @return PID (as the host sees it) to command line
     */
    static Map<String, String> pythonProcesses(GenericContainer<?> keeper) {
        String[][] procs = DockerClientFactory.instance().client().topContainerCmd(keeper.getContainerId())
                .withPsArgs("-o pid,stat,args").exec().getProcesses();
        Map<String, String> python = new TreeMap<>();
        for (String[] p : procs) {
            if (p[2].contains("python") && !p[1].startsWith("Z")) {
                python.put(p[0], p[2]);
            }
        }
        return python;
    }

    /**
     * Waits until every python process in the container that is not in {@code before} is gone: a
     * peer and its resource tracker have exited, so whatever the tracker does at exit is done.
     *
     * @param keeper the keeper
     * @param before the python processes to ignore (from {@link #pythonProcesses} before the peer)
     * @throws InterruptedException when interrupted
     */
    static void awaitPythonExits(GenericContainer<?> keeper, Map<String, String> before) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        Map<String, String> extra;
        do {
            extra = new TreeMap<>(pythonProcesses(keeper));
            extra.keySet().removeAll(before.keySet());
            if (extra.isEmpty()) {
                return;
            }
            Thread.sleep(100);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("python processes still run in " + keeper.getContainerId() + " after 30 s: " + extra);
    }

    /** What a Java container printed (it exited with status 0). */
    static final class JavaRun {
        /** stdout and stderr, interleaved as the engine logged them. */
        final String output;

        JavaRun(String output) {
            this.output = output;
        }

        /**
         * The value of a {@code key=value} line PodJava printed.
         *
         * @param key the key
         * @return the value
         */
        String get(String key) {
            for (String line : output.split("\n")) {
                if (line.startsWith(key + "=")) {
                    return line.substring(key.length() + 1);
                }
            }
            throw new AssertionError("no line " + key + "=... in the Java container's output:\n" + output);
        }
    }

    /**
     * Runs {@link PodJava} in a Debian 12 container with a host JDK and target/pyshm.jar mounted
     * read-only: {@code java -cp pyshm.jar PodJava.java STEP...} (the JDK's source-file mode, so
     * the container needs nothing but the library jar).
     *
     * @param ipcMode the IPC mode ({@code host}, {@code container:ID})
     * @param user the uid to run as, or null for root
     * @param steps PodJava's arguments
     * @return what it printed
     */
    static JavaRun runJava(String ipcMode, String user, String... steps) {
        Path jdk = podJdk();
        Path jar = Path.of(System.getProperty("pyshm.jar", PROJECT.resolve("target/pyshm.jar").toString()));
        if (!Files.isRegularFile(jar)) {
            throw new AssertionError(jar + " does not exist: run `mvn package` (failsafe runs after it)");
        }
        Path source = PROJECT.resolve("src/test/java/dev/pyshm/containers/PodJava.java");
        String inContainer = "/opt/pod/dev/pyshm/containers/PodJava.java";
        List<Bind> binds = new ArrayList<>(List.of(
                new Bind(jdk.toString(), new Volume("/opt/jdk"), AccessMode.ro),
                new Bind(jar.toString(), new Volume("/opt/pyshm/pyshm.jar"), AccessMode.ro),
                new Bind(source.toString(), new Volume(inContainer), AccessMode.ro)));
        // Debian's JDK packages keep conf/ and lib/jvm.cfg as symlinks into /etc/java-N-openjdk.
        Matcher m = Pattern.compile("java-(\\d+)-openjdk.*").matcher(jdk.getFileName().toString());
        if (m.matches() && Files.isDirectory(Path.of("/etc/java-" + m.group(1) + "-openjdk"))) {
            String etc = "/etc/java-" + m.group(1) + "-openjdk";
            binds.add(new Bind(etc, new Volume(etc), AccessMode.ro));
        }
        List<String> cmd = new ArrayList<>(List.of("/opt/jdk/bin/java", "--enable-native-access=ALL-UNNAMED",
                "-Djna.tmpdir=/tmp", "-cp", "/opt/pyshm/pyshm.jar", inContainer));
        cmd.addAll(List.of(steps));
        ToStringConsumer log = new ToStringConsumer();
        try (GenericContainer<?> c = new GenericContainer<>(DockerImageName.parse(BOOKWORM))
                .withImagePullPolicy(name -> false)
                .withLabel(LABEL, "true")
                .withNetworkMode("none")
                .withCreateContainerCmdModifier(create -> {
                    create.getHostConfig().withIpcMode(ipcMode).withBinds(binds);
                    if (user != null) {
                        create.withUser(user);
                    }
                })
                .withCommand(cmd.toArray(new String[0]))
                .withLogConsumer(log)
                .withStartupCheckStrategy(new OneShotStartupCheckStrategy().withTimeout(Duration.ofSeconds(180)))) {
            try {
                c.start();
            } catch (RuntimeException e) {
                throw new AssertionError("the Java container failed (" + String.join(" ", cmd) + "):\n"
                        + log.toUtf8String(), e);
            }
            // One-shot start() returns once the container exited with status 0. The log consumer may
            // still be draining then; the engine's log is complete.
            return new JavaRun(c.getLogs());
        }
    }

    /**
     * The JDK mounted into Java containers: {@code -Dpyshm.pod.jdk=DIR}, else Temurin 25 where it
     * usually is, else the JDK running the tests.
     *
     * @return its home
     */
    static Path podJdk() {
        String prop = System.getProperty("pyshm.pod.jdk");
        if (prop != null && !prop.isBlank()) {
            return Path.of(prop);
        }
        Path temurin = Path.of("/usr/lib/jvm/temurin-25-jdk-amd64");
        if (Files.isExecutable(temurin.resolve("bin/java"))) {
            return temurin;
        }
        return Path.of(System.getProperty("java.home"));
    }
}
