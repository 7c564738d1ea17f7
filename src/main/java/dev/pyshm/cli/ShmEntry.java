package dev.pyshm.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.UserPrincipal;
import java.time.Instant;
import java.util.Map;

/**
 * What {@code lstat} says about one shared memory object: a {@code /dev/shm} entry, or an
 * unlinked object that a process still maps (then {@link #deleted()} is true and the fields come
 * from the process's {@code /proc/PID/fd} or {@code map_files} link, or are unknown).
 */
final class ShmEntry {
    /** File type character as {@code ls -l} shows it: {@code -}, {@code l}, {@code d} or {@code ?}. */
    final char type;
    /** The name (the file name under {@code /dev/shm}). */
    final String name;
    /** The symbolic link's target, or null. */
    final String target;
    /** {@code st_size}, or -1 when unknown. */
    final long size;
    /** {@code st_uid}, or -1 when unknown. */
    final int uid;
    /** The owner's user name (the uid as text when it has none), or null when unknown. */
    final String owner;
    /** Permission bits ({@code st_mode & 07777}), or -1 when unknown. */
    final int mode;
    /** {@code st_mtime}, or null when unknown. */
    final Instant mtime;
    /** {@code st_ctime}, or null when unknown. */
    final Instant ctime;
    /** The identity, or null when unknown. */
    final FileKey key;
    private final boolean deleted;

    private ShmEntry(char type, String name, String target, long size, int uid, String owner, int mode,
            Instant mtime, Instant ctime, FileKey key, boolean deleted) {
        this.type = type;
        this.name = name;
        this.target = target;
        this.size = size;
        this.uid = uid;
        this.owner = owner;
        this.mode = mode;
        this.mtime = mtime;
        this.ctime = ctime;
        this.key = key;
        this.deleted = deleted;
    }

    /**
     * Reads a {@code /dev/shm} entry without following a symbolic link.
     *
     * @param path the entry
     * @return what it is
     * @throws IOException when it cannot be read (e.g. {@link java.nio.file.NoSuchFileException}
     *     when it vanished)
     */
    static ShmEntry read(Path path) throws IOException {
        Map<String, Object> a = Files.readAttributes(path, "unix:*", LinkOption.NOFOLLOW_LINKS);
        char type = Boolean.TRUE.equals(a.get("isRegularFile")) ? '-'
                : Boolean.TRUE.equals(a.get("isSymbolicLink")) ? 'l'
                : Boolean.TRUE.equals(a.get("isDirectory")) ? 'd' : '?';
        String target = type == 'l' ? Files.readSymbolicLink(path).toString() : null;
        return of(a, type, path.getFileName().toString(), target, false);
    }

    /**
     * Reads an unlinked object through a link that a process holds ({@code /proc/PID/fd/N} or
     * {@code /proc/PID/map_files/A-B}), following it to the object itself.
     *
     * @param name the name it had
     * @param link the link
     * @return what it is
     * @throws IOException when the link cannot be followed
     */
    static ShmEntry readUnlinked(String name, Path link) throws IOException {
        return of(Files.readAttributes(link, "unix:*"), '-', name, null, true);
    }

    /**
     * An unlinked object that could not be read: only its name and identity are known.
     *
     * @param name the name it had
     * @param key its identity
     * @param extent the largest mapped offset seen, as a lower bound of its size
     * @return the entry, with unknown fields
     */
    static ShmEntry unknownUnlinked(String name, FileKey key, long extent) {
        return new ShmEntry('-', name, null, extent, -1, null, -1, null, null, key, true);
    }

    private static ShmEntry of(Map<String, Object> a, char type, String name, String target, boolean deleted) {
        int uid = (Integer) a.get("uid");
        UserPrincipal owner = (UserPrincipal) a.get("owner");
        return new ShmEntry(type, name, target, (Long) a.get("size"), uid,
                owner == null ? Integer.toString(uid) : owner.getName(), (Integer) a.get("mode") & 07777,
                ((FileTime) a.get("lastModifiedTime")).toInstant(), ((FileTime) a.get("ctime")).toInstant(),
                new FileKey((Long) a.get("dev"), (Long) a.get("ino")), deleted);
    }

    /**
     * Whether this object has no name any more (unlinked, still mapped or open).
     *
     * @return whether it is unlinked
     */
    boolean deleted() {
        return deleted;
    }

    /**
     * Whether the fields came from {@code stat} (false for {@link #unknownUnlinked}).
     *
     * @return whether they are known
     */
    boolean known() {
        return uid >= 0;
    }

    /**
     * The time of the last change of content (via {@code write}), size or mode: the later of
     * {@code st_mtime} and {@code st_ctime}, what {@code gc --older-than} measures.
     *
     * @return the time, or null when unknown
     */
    Instant lastChange() {
        if (mtime == null) {
            return null;
        }
        return ctime != null && ctime.isAfter(mtime) ? ctime : mtime;
    }

    /**
     * Returns the mode as {@code ls -l} shows it, e.g. {@code -rw-------}.
     *
     * @return the text, or {@code ?} when unknown
     */
    String perms() {
        if (mode < 0) {
            return "?";
        }
        String rwx = "rwxrwxrwx";
        StringBuilder sb = new StringBuilder().append(type);
        for (int i = 0; i < 9; i++) {
            sb.append((mode & (1 << (8 - i))) != 0 ? rwx.charAt(i) : '-');
        }
        if ((mode & 04000) != 0) {
            sb.setCharAt(3, (mode & 0100) != 0 ? 's' : 'S');
        }
        if ((mode & 02000) != 0) {
            sb.setCharAt(6, (mode & 010) != 0 ? 's' : 'S');
        }
        if ((mode & 01000) != 0) {
            sb.setCharAt(9, (mode & 01) != 0 ? 't' : 'T');
        }
        return sb.toString();
    }

    /**
     * Returns the permission bits in octal, e.g. {@code 0600}.
     *
     * @return the text, or {@code ?} when unknown
     */
    String octal() {
        return mode < 0 ? "?" : String.format("%04o", mode);
    }

    /**
     * Returns the type as a word for JSON.
     *
     * @return {@code file}, {@code symlink}, {@code directory} or {@code other}
     */
    String typeWord() {
        switch (type) {
            case '-':
                return "file";
            case 'l':
                return "symlink";
            case 'd':
                return "directory";
            default:
                return "other";
        }
    }
}
