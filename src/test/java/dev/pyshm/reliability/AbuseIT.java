package dev.pyshm.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pyshm.SharedMemory;
import dev.pyshm.testing.ChildJvm;
import dev.pyshm.testing.ForOtherUsers;
import dev.pyshm.testing.Shm;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Symlinks are not followed, other uids are kept out, the umask is honoured. */
class AbuseIT {
    private static Path classpathForNobody;

    @BeforeAll
    static void copyClassesWhereNobodyCanReadThem() throws IOException {
        // The build's class path lives under /root (0700): give the other uid a readable copy.
        List<Path> needed = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(":")) {
            String file = Path.of(entry).getFileName().toString();
            if (file.startsWith("jna") || file.startsWith("pyshm") || file.endsWith("classes")) {
                needed.add(Path.of(entry)); // the child needs pyshm (classes or jar), its test classes and JNA only
            }
        }
        classpathForNobody = ForOtherUsers.copy(needed);
    }

    @AfterAll
    static void removeCopy() throws IOException {
        ForOtherUsers.delete(classpathForNobody);
    }

    private static ChildJvm.Result asNobody(String... args) throws Exception {
        List<String> cp = new ArrayList<>();
        try (Stream<Path> s = Files.list(classpathForNobody)) {
            s.forEach(p -> cp.add(p.toString()));
        }
        List<String> cmd = new ArrayList<>(List.of("runuser", "-u", "nobody", "--", ChildJvm.java(),
                "--enable-native-access=ALL-UNNAMED", "-Xmx64m", "-Djna.tmpdir=/tmp", "-cp", String.join(":", cp),
                NobodyChild.class.getName()));
        cmd.addAll(List.of(args));
        return ChildJvm.exec(cmd, 120);
    }

    @Test
    void symlinkPlantedUnderTheNameIsNotFollowed() throws Exception {
        String name = Shm.uniqueName("symlink");
        String target = Shm.uniqueName("target");
        try (SharedMemory victim = SharedMemory.create(target, 16)) {
            Files.createSymbolicLink(Shm.file(name), Shm.file(target));
            Path passwd = Shm.file(name + "_passwd");
            Files.createSymbolicLink(passwd, Path.of("/etc/passwd"));
            try {
                FileSystemException e = assertThrows(FileSystemException.class, () -> SharedMemory.attach(name));
                assertEquals("ELOOP: Too many levels of symbolic links", e.getReason());
                FileSystemException p = assertThrows(FileSystemException.class, () -> SharedMemory.attach(passwd.getFileName().toString()));
                assertEquals("ELOOP: Too many levels of symbolic links", p.getReason());
                assertThrows(FileAlreadyExistsException.class, () -> SharedMemory.create(name, 16));
                assertEquals(16, Files.size(Shm.file(target)), "the link target is untouched");
                assertTrue(Files.isSymbolicLink(Shm.file(name)));
                victim.unlink();
            } finally {
                Files.deleteIfExists(Shm.file(name));
                Files.deleteIfExists(passwd);
            }
        }
        Report.row("7a", "Abuse: symlink", "a symlink planted at /dev/shm/NAME (to another block, and to /etc/passwd);"
                        + " attach and create NAME", "3 calls", "attach: FileSystemException `ELOOP: Too many levels of"
                        + " symbolic links` (O_NOFOLLOW); create: FileAlreadyExistsException; targets untouched", "nothing");
    }

    @Test
    void aBlock0600CannotBeAttachedByAnotherUidAndTheReverseWorksForRoot() throws Exception {
        String name = Shm.uniqueName("perm");
        try (SharedMemory shm = SharedMemory.create(name, 64)) {
            try {
                ChildJvm.Result r = asNobody("attach", name);
                assertEquals(0, r.exit, r.toString());
                assertEquals("AccessDeniedException " + name + ": EACCES: Permission denied", r.out.strip());
                r = asNobody("attach-ro", name);
                assertEquals("AccessDeniedException " + name + ": EACCES: Permission denied", r.out.strip(),
                        "0600 keeps even a read-only attach out");
                shm.buf().put(0, (byte) 5);
                java.nio.file.Files.setPosixFilePermissions(Shm.file(name), PosixFilePermissions.fromString("rw-r--r--"));
                r = asNobody("attach", name);
                assertEquals("AccessDeniedException " + name + ": EACCES: Permission denied", r.out.strip(),
                        "0644: read-write attach needs w");
                r = asNobody("attach-ro", name);
                assertEquals("read-only 5", r.out.strip(), "0644: a read-only attach works: " + r);
            } finally {
                shm.unlink();
            }
        }
        String mine = Shm.uniqueName("nobodys");
        ChildJvm.Result r = asNobody("create", mine);
        try {
            assertEquals(0, r.exit, r.toString());
            assertEquals(65534, (int) Files.getAttribute(Shm.file(mine), "unix:uid", LinkOption.NOFOLLOW_LINKS));
            assertEquals("rw-------", Shm.perms(mine));
            try (SharedMemory asRoot = SharedMemory.attach(mine)) {
                assertEquals(7, asRoot.buf().get(0), "root attaches nobody's 0600 block (DAC override)");
            }
        } finally {
            Shm.remove(mine);
        }
        Report.row("7b", "Abuse: other uid", "root creates a 0600 block; a JVM running as `nobody` attaches it"
                        + " (read-write and read-only), then again after chmod 0644; nobody creates a 0600 block and root"
                        + " attaches it", "5", "nobody: AccessDeniedException `EACCES: Permission denied` for 0600 and for"
                        + " a read-write attach of 0644; read-only attach of 0644 works; root attaches nobody's block",
                "nothing");
    }

    @Test
    void theUmaskIsHonoured() throws Exception {
        String a = Shm.uniqueName("umask277");
        String b = Shm.uniqueName("umask077");
        try {
            ChildJvm.Result r = ChildJvm.run("umask 0277", UmaskChild.class, List.of(), a, "0600");
            assertEquals(0, r.exit, r.toString());
            assertEquals("r--------", Shm.perms(a));
            assertTrue(r.out.contains("creator wrote 9"), "the creator writes through its own mapping: " + r.out);
            r = ChildJvm.run("umask 0077", UmaskChild.class, List.of(), b, "0666");
            assertEquals(0, r.exit, r.toString());
            assertEquals("rw-------", Shm.perms(b));
        } finally {
            Shm.remove(a);
            Shm.remove(b);
        }
        assertFalse(Shm.exists(a));
        Report.row("7c", "Abuse: umask", "create under umask 0277 (mode 0600) and umask 0077 (mode 0666)", "2",
                "modes 0400 and 0600; the 0400 creator still writes through its mapping", "nothing");
    }

    /** Child (as nobody): attach or create, print the outcome. */
    public static final class NobodyChild {
        public static void main(String[] args) throws IOException {
            if (args[0].equals("attach-ro")) {
                try (SharedMemory shm = SharedMemory.attach(args[1], SharedMemory.Options.defaults().readOnly(true))) {
                    System.out.println("read-only " + shm.buf().get(0));
                } catch (AccessDeniedException e) {
                    System.out.println("AccessDeniedException " + e.getMessage());
                }
            } else if (args[0].equals("attach")) {
                try (SharedMemory shm = SharedMemory.attach(args[1])) {
                    System.out.println("attached?! " + shm);
                } catch (AccessDeniedException e) {
                    System.out.println("AccessDeniedException " + e.getMessage());
                }
            } else {
                try (SharedMemory shm = SharedMemory.create(args[1], 64, SharedMemory.Options.defaults().track(false))) {
                    shm.buf().put(0, (byte) 7);
                }
            }
        }
    }

    /** Child: creates with a mode under the shell's umask and writes. */
    public static final class UmaskChild {
        public static void main(String[] args) throws IOException {
            int mode = Integer.parseInt(args[1], 8);
            try (SharedMemory shm = SharedMemory.create(args[0], 8, SharedMemory.Options.defaults().mode(mode).track(false))) {
                shm.buf().put(0, (byte) 9);
                System.out.println("creator wrote " + shm.buf().get(0));
            }
        }
    }
}
