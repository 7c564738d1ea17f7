package dev.pyshm.bench;

import dev.pyshm.SharedMemory;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import py4j.GatewayServer;

/**
 * 64 MiB from a running Python process into a Java {@code byte[]}, one request at a time, three
 * ways. A Python process ({@code bench/py/transfer_producer.py}) holds the payload as
 * {@code bytes}; one operation is: Java writes {@code go} to its stdin, Python sends, and the
 * operation ends when all 64 MiB are in the Java array.
 *
 * <ul>
 *   <li>{@link #pyshm}: the block is created once by Java and attached once by Python (reused,
 *       as a service would); Python copies the payload into it ({@code buf[:n] = data}) and
 *       answers {@code done} on its stdout; Java then copies the block into the array. Two
 *       memcpy of user-space memory and a pipe round trip; no page fault after the first
 *       operation.</li>
 *   <li>{@link #tcp}: one loopback connection kept open; Python {@code sendall}s, Java reads
 *       until the array is full. The kernel copies twice (into and out of the socket buffers)
 *       in many system calls.</li>
 *   <li>{@link #py4j}: Python calls a Java method {@code receive(byte[])} through Py4J 0.10.9.7
 *       with the payload as argument; Py4J sends it base64-encoded in its text protocol and the
 *       JVM decodes it; the operation ends when the call returns.</li>
 * </ul>
 *
 * <p>System properties (set on the {@code java -jar benchmarks.jar} command line; the forks
 * inherit them): {@code pyshm.bench.python} (default {@code python3}),
 * {@code pyshm.bench.producer} (default {@code bench/py/transfer_producer.py}),
 * {@code pyshm.bench.py4jPath} (default {@code target/bench-build/py4j-python/python/py4j-src-0.10.9.7.zip}), all relative
 * to the working directory. Results are in milliseconds per 64 MiB; MB/s is
 * {@code size / 10^6 / seconds}.
 *
 * <p>The heap is fixed (1 GiB), and for Py4J, which allocates some 400 MB per call, pre-touched
 * ({@code -XX:+AlwaysPreTouch}): on this VM the first touch of a page costs 12–26 µs, so a heap
 * that is still growing would charge Py4J for page faults a long-running service no longer pays.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 1, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 4, time = 1, timeUnit = TimeUnit.SECONDS)
@Fork(value = 1, jvmArgs = {"-Xms1g", "-Xmx1g"}, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class TransferBench {

    /** For JMH. */
    public TransferBench() {
    }

    /** What the benchmarks share: the payload size and the destination array. */
    @State(Scope.Benchmark)
    public static class Sizes {
        /** Bytes per transfer (64 MiB). */
        @Param({"67108864"})
        public int size;

        byte[] dst;

        /** For JMH. */
        public Sizes() {
        }

        /** Allocates the destination. */
        @Setup
        public void setUp() {
            dst = new byte[size];
        }
    }

    /** The Python process, talking over stdin/stdout. */
    static final class Producer implements AutoCloseable {
        private final Process process;
        private final OutputStream toPython;
        private final BufferedReader fromPython;

        Producer(String... args) throws IOException {
            List<String> cmd = new ArrayList<>();
            cmd.add(System.getProperty("pyshm.bench.python", "python3"));
            Path script = Path.of(System.getProperty("pyshm.bench.producer", "bench/py/transfer_producer.py"));
            if (!Files.isRegularFile(script)) {
                throw new IOException("transfer producer not found at " + script.toAbsolutePath()
                        + "; run from the project directory or set -Dpyshm.bench.producer=...");
            }
            cmd.add(script.toString());
            cmd.addAll(List.of(args));
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT);
            Path py4j = Path.of(System.getProperty("pyshm.bench.py4jPath", "target/bench-build/py4j-python/python/py4j-src-0.10.9.7.zip"));
            pb.environment().put("PYTHONPATH", py4j.toAbsolutePath().toString());
            process = pb.start();
            toPython = process.getOutputStream();
            fromPython = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.US_ASCII));
        }

        void expect(String word) throws IOException {
            String line = fromPython.readLine();
            if (!word.equals(line)) {
                throw new IOException("transfer producer said " + line + " instead of " + word
                        + " (exit status " + (process.isAlive() ? "running" : process.exitValue()) + ")");
            }
        }

        void go() throws IOException {
            toPython.write(GO);
            toPython.flush();
        }

        @Override
        public void close() throws IOException {
            toPython.close();
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }

        private static final byte[] GO = "go\n".getBytes(StandardCharsets.US_ASCII);
    }

    /** The reused pyshm block and its Python writer. */
    @State(Scope.Benchmark)
    public static class ShmPath {
        SharedMemory block;
        ByteBuffer buf;
        Producer producer;

        /** For JMH. */
        public ShmPath() {
        }

        /**
         * Creates the block and starts the writer.
         *
         * @param sizes the payload size
         * @throws IOException when either fails
         */
        @Setup(Level.Trial)
        public void setUp(Sizes sizes) throws IOException {
            block = SharedMemory.create(sizes.size);
            buf = block.buf();
            producer = new Producer("shm", Integer.toString(sizes.size), block.name());
            producer.expect("ready");
        }

        /**
         * Stops the writer and removes the block.
         *
         * @throws IOException when the block cannot be unlinked
         */
        @TearDown(Level.Trial)
        public void tearDown() throws IOException {
            producer.close();
            block.close();
            block.unlink();
        }
    }

    /** The loopback connection and its Python sender. */
    @State(Scope.Benchmark)
    public static class TcpPath {
        Socket socket;
        InputStream in;
        Producer producer;

        /** For JMH. */
        public TcpPath() {
        }

        /**
         * Listens on an ephemeral loopback port and accepts the sender.
         *
         * @param sizes the payload size
         * @throws IOException when the connection fails
         */
        @Setup(Level.Trial)
        public void setUp(Sizes sizes) throws IOException {
            try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                server.setSoTimeout(30_000);
                producer = new Producer("tcp", Integer.toString(sizes.size), Integer.toString(server.getLocalPort()));
                socket = server.accept();
            }
            in = socket.getInputStream();
            producer.expect("ready");
        }

        /**
         * Closes the connection and stops the sender.
         *
         * @throws IOException when closing fails
         */
        @TearDown(Level.Trial)
        public void tearDown() throws IOException {
            producer.close();
            socket.close();
        }
    }

    /** Py4J's gateway and its Python client. */
    @State(Scope.Benchmark)
    public static class Py4jPath {
        GatewayServer server;
        Producer producer;

        /** For JMH. */
        public Py4jPath() {
        }

        /**
         * Starts a gateway on an ephemeral loopback port and the client.
         *
         * @param sizes the payload size
         * @throws IOException when the client cannot start
         */
        @Setup(Level.Trial)
        public void setUp(Sizes sizes) throws IOException {
            server = new GatewayServer(new Sink(sizes.dst), 0);
            server.start();
            producer = new Producer("py4j", Integer.toString(sizes.size), Integer.toString(server.getListeningPort()));
            producer.expect("ready");
        }

        /**
         * Stops the client and the gateway.
         *
         * @throws IOException when the client cannot be stopped
         */
        @TearDown(Level.Trial)
        public void tearDown() throws IOException {
            producer.close();
            server.shutdown();
        }
    }

    /** The Java object Py4J's client calls: copies what it receives into the destination. */
    public static final class Sink {
        private final byte[] dst;

        Sink(byte[] dst) {
            this.dst = dst;
        }

        /**
         * Receives one payload.
         *
         * @param data the bytes Python sent
         * @return how many arrived
         */
        public int receive(byte[] data) {
            System.arraycopy(data, 0, dst, 0, Math.min(data.length, dst.length));
            return data.length;
        }
    }

    /**
     * Python writes into the reused pyshm block, Java copies it out.
     *
     * @param sizes the destination
     * @param path the block and writer
     * @return one received byte
     * @throws IOException when the writer fails
     */
    @Benchmark
    public byte pyshm(Sizes sizes, ShmPath path) throws IOException {
        path.producer.go();
        path.producer.expect("done");
        path.buf.get(0, sizes.dst, 0, sizes.size);
        return sizes.dst[sizes.size - 1];
    }

    /**
     * Python sends over the loopback socket, Java reads into the array.
     *
     * @param sizes the destination
     * @param path the connection
     * @return one received byte
     * @throws IOException when the connection fails or closes early
     */
    @Benchmark
    public byte tcp(Sizes sizes, TcpPath path) throws IOException {
        path.producer.go();
        int got = path.in.readNBytes(sizes.dst, 0, sizes.size);
        if (got != sizes.size) {
            throw new IOException("loopback connection closed after " + got + " of " + sizes.size + " bytes");
        }
        return sizes.dst[sizes.size - 1];
    }

    /**
     * Python calls a Java method with the payload through Py4J.
     *
     * @param sizes the destination
     * @param path the gateway and client
     * @return one received byte
     * @throws IOException when the client fails
     */
    @Benchmark
    @Fork(value = 1, jvmArgs = {"-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch"},
            jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
    @BenchmarkMode(Mode.SingleShotTime)
    @Warmup(iterations = 1)
    @Measurement(iterations = 3)
    public byte py4j(Sizes sizes, Py4jPath path) throws IOException {
        path.producer.go();
        path.producer.expect("done");
        return sizes.dst[sizes.size - 1];
    }
}
