package dev.pyshm.cli;

import dev.pyshm.SharedMemory;

/** A child JVM that maps a block until its stdin closes: {@code HoldMain NAME}. */
public final class HoldMain {
    private HoldMain() {
    }

    /**
     * Attaches, says {@code ready PID}, waits for EOF on stdin, closes.
     *
     * @param args the block name
     * @throws Exception on failure (the test sees the exit status)
     */
    public static void main(String[] args) throws Exception {
        try (SharedMemory shm = SharedMemory.attach(args[0])) {
            shm.buf(0, 1).get(0); // touch it
            System.out.println("ready " + ProcessHandle.current().pid());
            System.out.flush();
            while (System.in.read() >= 0) {
                // wait for EOF
            }
        }
    }
}
