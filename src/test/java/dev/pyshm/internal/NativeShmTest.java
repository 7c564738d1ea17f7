package dev.pyshm.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Platform selection and errno translation. */
class NativeShmTest {

    @ParameterizedTest
    @CsvSource({"Mac OS X,aarch64", "FreeBSD,amd64", "Windows 11,amd64"})
    void unsupportedOperatingSystemsAreNamed(String os, String arch) {
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class, () -> NativeShm.load(os, arch));
        assertTrue(e.getMessage().contains(os), e.getMessage());
        assertTrue(e.getMessage().contains("supported: Linux"), e.getMessage());
    }

    @Test
    void unsupportedArchitecturesAreNamed() {
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                () -> NativeShm.load("Linux", "riscv64"));
        assertTrue(e.getMessage().contains("riscv64"), e.getMessage());
    }

    @ParameterizedTest
    @CsvSource({"2,NoSuchFileException,ENOENT: No such file or directory",
        "17,FileAlreadyExistsException,EEXIST: File exists",
        "13,AccessDeniedException,EACCES: Permission denied",
        "1,AccessDeniedException,EPERM: Operation not permitted",
        "36,FileSystemException,ENAMETOOLONG: File name too long",
        "22,FileSystemException,EINVAL: Invalid argument",
        "40,FileSystemException,ELOOP: Too many levels of symbolic links",
        "28,FileSystemException,ENOSPC: No space left on device",
        "24,FileSystemException,EMFILE: Too many open files",
        "200,FileSystemException,errno 200: Unknown error 200"})
    void errnoBecomesTheMatchingNioException(int errno, String type, String reason) {
        FileSystemException e = Errno.translate(new ErrnoException(errno, "shm_open"), "blk", false);
        assertEquals(type, e.getClass().getSimpleName());
        assertEquals(reason, e.getReason());
        assertEquals("blk", e.getFile());
        if (errno < 200) {
            assertEquals(errno, Errno.errnoOf(e).getAsInt());
        }
    }

    @Test
    void callsAfterShmOpenNameTheCall() {
        FileSystemException e = Errno.translate(new ErrnoException(12, "mmap"), "blk", true);
        assertEquals("ENOMEM: Cannot allocate memory (mmap)", e.getReason());
        assertEquals(12, Errno.errnoOf(e).getAsInt());
        assertInstanceOf(FileSystemException.class, e);
        assertTrue(!(e instanceof NoSuchFileException) && !(e instanceof FileAlreadyExistsException)
                && !(e instanceof AccessDeniedException));
    }
}
