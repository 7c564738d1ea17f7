package dev.pyshm.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One CPython process of the demo, running {@code demo_worker.py} and speaking its line protocol.
 * Its stdout lines are queued by a reader thread so every wait has a timeout; its stderr is
 * copied to ours, each line prefixed with {@code [worker N]}, and the last lines are kept for
 * the failure message.
 */
final class Worker {
    private static final String EOF = new String("EOF"); // identity sentinel
    private static final int TAIL = 5;

    final int index;
    private final Process process;
    private final OutputStream stdin;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final Deque<String> stderrTail = new ArrayDeque<>();
    private final Duration timeout;
    private final AtomicReference<Worker> firstDeath;
    private volatile boolean finishing;

    private Worker(int index, Process process, PrintWriter err, Duration timeout, AtomicReference<Worker> firstDeath) {
        this.index = index;
        this.process = process;
        this.stdin = process.getOutputStream();
        this.timeout = timeout;
        this.firstDeath = firstDeath;
        daemon("pyshm-demo-worker-" + index + "-out", () -> pump(process.getInputStream()));
        daemon("pyshm-demo-worker-" + index + "-err", () -> forward(process.getErrorStream(), err));
    }

    /**
     * Starts a worker.
     *
     * @param python the interpreter
     * @param script the worker script's text
     * @param index the worker's number, from 1
     * @param err where its stderr goes
     * @param timeout how long to wait for any one reply
     * @param firstDeath shared by all workers of a run: the first one whose output ended unexpectedly,
     *     so that a wait on one worker ends as soon as any worker dies
     * @return the worker
     * @throws CliException (not found) when the interpreter cannot be started
     */
    static Worker start(String python, String script, int index, PrintWriter err, Duration timeout,
            AtomicReference<Worker> firstDeath) throws CliException {
        try {
            Process p = new ProcessBuilder(List.of(python, "-I", "-c", script)).start();
            return new Worker(index, p, err, timeout, firstDeath);
        } catch (IOException e) {
            throw new CliException(ExitCode.NOT_FOUND, "cannot start " + python + ": " + e.getMessage(), e);
        }
    }

    private static void daemon(String name, Runnable r) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        t.start();
    }

    private void pump(InputStream in) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                lines.add(line);
            }
        } catch (IOException e) {
            // the process is gone
        } finally {
            lines.add(EOF);
            if (!finishing) {
                firstDeath.compareAndSet(null, this);
            }
        }
    }

    private void forward(InputStream in, PrintWriter err) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                synchronized (stderrTail) {
                    stderrTail.addLast(line);
                    if (stderrTail.size() > TAIL) {
                        stderrTail.removeFirst();
                    }
                }
                err.println("[worker " + index + "] " + line);
                err.flush();
            }
        } catch (IOException e) {
            // the process (and its resource tracker) is gone
        }
    }

    /**
     * Returns the process id.
     *
     * @return the pid
     */
    long pid() {
        return process.pid();
    }

    /**
     * Sends one protocol line.
     *
     * @param line the line
     * @throws CliException when the worker is gone
     */
    void send(String line) throws CliException {
        if (line.equals("done")) {
            finishing = true; // from now on, the end of its output is expected
        }
        try {
            stdin.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            stdin.flush();
        } catch (IOException e) {
            throw died("while sent '" + line + "'");
        }
    }

    /**
     * Waits for the next line, which must start with {@code word}.
     *
     * @param word the expected first word
     * @return the line's words, the first being {@code word}
     * @throws CliException when the worker dies, says something else, or says nothing in time
     * @throws InterruptedException when interrupted
     */
    String[] expect(String word) throws CliException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String line = null;
        while (line == null && System.nanoTime() < deadline) {
            line = lines.poll(100, TimeUnit.MILLISECONDS);
            Worker dead = firstDeath.get();
            if (line == null && dead != null && dead != this) {
                throw dead.died("while worker " + index + " was expected to say '" + word + "'");
            }
        }
        if (line == null) {
            throw new CliException(ExitCode.FAILURE, "worker " + index + " (pid " + pid() + ") sent nothing for "
                    + Units.age(timeout) + " while '" + word + "' was expected");
        }
        if (line == EOF) {
            lines.add(EOF); // keep it for later waits
            throw died("before it said '" + word + "'");
        }
        String[] words = line.trim().split(" ");
        if (!words[0].equals(word)) {
            throw new CliException(ExitCode.FAILURE, "worker " + index + " said '" + line + "' where '" + word
                    + "' was expected");
        }
        return words;
    }

    private CliException died(String when) {
        String status;
        try {
            if (process.waitFor(5, TimeUnit.SECONDS)) {
                status = describe(process.exitValue());
            } else {
                status = "stopped answering";
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            status = "is gone";
        }
        String tail = "";
        if (status.startsWith("exited")) { // its last words explain it; a killed worker has none
            synchronized (stderrTail) {
                tail = stderrTail.isEmpty() ? "" : ": " + stderrTail.getLast();
            }
        }
        return new CliException(ExitCode.FAILURE, "worker " + index + " (pid " + pid() + ") " + status + " " + when + tail);
    }

    /**
     * Describes an exit value: {@code exited with status 1}, {@code was killed by SIGKILL}.
     *
     * @param exit the exit value (128 + N for signal N, as Java reports it)
     * @return the text
     */
    static String describe(int exit) {
        if (exit > 128 && exit < 128 + 65) {
            int sig = exit - 128;
            String[] names = {null, "SIGHUP", "SIGINT", "SIGQUIT", "SIGILL", "SIGTRAP", "SIGABRT", "SIGBUS", "SIGFPE",
                "SIGKILL", "SIGUSR1", "SIGSEGV", "SIGUSR2", "SIGPIPE", "SIGALRM", "SIGTERM"};
            return "was killed by " + (sig < names.length ? names[sig] : "signal " + sig);
        }
        return "exited with status " + exit;
    }

    /** Closes the worker's stdin: it then unlinks its block and exits. */
    void closeInput() {
        try {
            stdin.close();
        } catch (IOException e) {
            // already gone
        }
    }

    /**
     * Waits for the process to exit.
     *
     * @param millis at most this long
     * @return whether it exited
     * @throws InterruptedException when interrupted
     */
    boolean waitFor(long millis) throws InterruptedException {
        return process.waitFor(millis, TimeUnit.MILLISECONDS);
    }

    /**
     * Returns the exit value of an exited worker.
     *
     * @return the value
     */
    int exitValue() {
        return process.exitValue();
    }

    /** Kills the process (SIGKILL). */
    void kill() {
        process.destroyForcibly();
    }
}
