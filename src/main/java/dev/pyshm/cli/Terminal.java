package dev.pyshm.cli;

import java.io.Console;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;

/** Whether output goes to a person (then long operations show progress) or to a pipe or file. */
final class Terminal {
    private Terminal() {
    }

    /**
     * Whether this is an interactive session: {@link System#console()} exists and, on JDK 22+
     * where a console may exist for redirected streams too, {@code Console.isTerminal()} says yes.
     *
     * @return whether standard input and output are a terminal
     */
    static boolean interactive() {
        Console c = System.console();
        if (c == null) {
            return false;
        }
        try {
            Method isTerminal = Console.class.getMethod("isTerminal"); // JDK 22+
            return (Boolean) isTerminal.invoke(c);
        } catch (NoSuchMethodException e) {
            return true;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return false;
        }
    }

    /**
     * Whether a file descriptor of this process is a terminal, from its {@code /proc/self/fd} link.
     *
     * @param fd 0, 1 or 2
     * @return whether it is a tty or pty
     */
    static boolean isTerminal(int fd) {
        try {
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty") || target.equals("/dev/console");
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }
}
