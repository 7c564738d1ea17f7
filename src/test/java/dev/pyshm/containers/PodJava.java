package dev.pyshm.containers;

import dev.pyshm.ShareableList;
import dev.pyshm.SharedMemory;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * The Java side of the pod pattern: runs inside a container with nothing but a JDK and
 * {@code pyshm.jar}, in the JDK's source-file mode:
 *
 * <pre>
 * java --enable-native-access=ALL-UNNAMED -cp pyshm.jar PodJava.java STEP...
 * </pre>
 *
 * <p>Uses only pyshm's public API. Steps, run in order; each prints {@code key=value} lines:
 * <ul>
 *   <li>{@code read:NAME:SLNAME} attaches a block and a ShareableList another container made,
 *       prints what it sees, writes {@code from-java} at offset 100 of the block and sets items 0 and
 *       4 of the list to {@code 42} and {@code 'java'};
 *   <li>{@code create:NAME:SLNAME} creates a 1 MiB block (track=false, so it outlives this JVM)
 *       filled with {@code i % 251} and a ShareableList, and prints the block's SHA-256 and the
 *       list's repr;
 *   <li>{@code probe:NAME} tries to attach and prints the result or the exception;
 *   <li>{@code reserve:NAME:BYTES} creates a block with {@code reserve(true)} (pages allocated up
 *       front) and prints the result or the exception, then removes the block if it was made.
 * </ul>
 */
public final class PodJava {
    private PodJava() {
    }

    /**
     * Runs the steps.
     *
     * @param args the steps
     * @throws Exception when a step fails unexpectedly (the container then exits non-zero)
     */
    public static void main(String[] args) throws Exception {
        System.out.println("java.version=" + System.getProperty("java.version"));
        for (String step : args) {
            String[] p = step.split(":", -1);
            switch (p[0]) {
                case "read":
                    read(p[1], p[2]);
                    break;
                case "create":
                    create(p[1], p[2]);
                    break;
                case "probe":
                    probe(p[1]);
                    break;
                case "reserve":
                    reserve(p[1], Long.parseLong(p[2]));
                    break;
                default:
                    throw new IllegalArgumentException("unknown step: " + step);
            }
        }
        System.out.flush();
    }

    private static void read(String name, String slName) throws Exception {
        try (SharedMemory shm = SharedMemory.attach(name)) {
            byte[] head = new byte[(int) Math.min(32, shm.size())];
            shm.buf().get(0, head);
            System.out.println("read.size=" + shm.size());
            System.out.println("read.head=" + HexFormat.of().formatHex(head));
            System.out.println("read.repr=" + shm);
            shm.buf().put(100, "from-java".getBytes(StandardCharsets.US_ASCII));
        }
        try (ShareableList sl = ShareableList.attach(slName)) {
            System.out.println("read.sl.layout=" + sl.layout());
            System.out.println("read.sl.format=" + sl.format());
            System.out.println("read.sl.repr=" + sl);
            sl.set(0, 42L);
            sl.set(4, "java");
        }
    }

    private static void create(String name, String slName) throws Exception {
        SharedMemory.Options keep = SharedMemory.Options.defaults().track(false);
        try (SharedMemory shm = SharedMemory.create(name, 1 << 20, keep)) {
            byte[] data = new byte[1 << 20];
            for (int i = 0; i < data.length; i++) {
                data[i] = (byte) (i % 251);
            }
            ByteBuffer b = shm.buf();
            b.put(0, data);
            System.out.println("create.sha256=" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data)));
        }
        try (ShareableList sl = ShareableList.create(slName,
                Arrays.asList(-1L, 0.25, false, null, "jav☃", new byte[] {0, 1}), ShareableList.Layout.PY39, keep)) {
            System.out.println("create.sl.format=" + sl.format());
            System.out.println("create.sl.repr=" + sl);
        }
    }

    private static void probe(String name) {
        try (SharedMemory shm = SharedMemory.attach(name)) {
            System.out.println("probe.result=attached size=" + shm.size());
        } catch (FileSystemException e) {
            System.out.println("probe.error=" + e.getClass().getSimpleName());
            System.out.println("probe.reason=" + e.getReason());
        } catch (java.io.IOException e) {
            System.out.println("probe.error=" + e.getClass().getSimpleName());
            System.out.println("probe.reason=" + e.getMessage());
        }
    }

    private static void reserve(String name, long size) throws java.io.IOException {
        SharedMemory.Options o = SharedMemory.Options.defaults().reserve(true).track(false);
        try (SharedMemory shm = SharedMemory.create(name, size, o)) {
            System.out.println("reserve.result=created size=" + shm.size());
            shm.unlink();
        } catch (FileSystemException e) {
            System.out.println("reserve.error=" + e.getClass().getSimpleName());
            System.out.println("reserve.reason=" + e.getReason());
        }
    }
}
