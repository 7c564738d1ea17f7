package dev.pyshm.internal;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.function.Supplier;

/**
 * CPython's naming rules for POSIX shared memory: the OS name is {@code "/" + name} (always, even
 * when the name already starts with a slash), encoded as strict UTF-8 regardless of locale; the
 * reported name is the OS name minus one leading slash. Generated names are {@code psm_} and 8
 * lowercase hex digits from a CSPRNG, as CPython's {@code secrets.token_hex(4)}.
 *
 * <p>Everything glibc checks itself (empty names, a slash inside, length) is left to glibc so that
 * pyshm accepts exactly what glibc accepts and fails with the same errno. What glibc cannot see
 * (an embedded NUL, which would silently truncate the name, and unpaired surrogates, which have no
 * UTF-8 form) is rejected here, before any system call.
 */
public final class ShmName {
    /** The prefix of generated names, without the slash. */
    public static final String PREFIX = "psm_";

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final char[] HEX = "0123456789abcdef".toCharArray();
    private static volatile Supplier<String> generator = ShmName::randomName;

    private final String name;
    private final String osName;
    private final byte[] osNameBytes;

    private ShmName(String name, String osName, byte[] osNameBytes) {
        this.name = name;
        this.osName = osName;
        this.osNameBytes = osNameBytes;
    }

    /**
     * Validates and encodes a name as the caller gave it.
     *
     * @param name the name, for example {@code psm_1e06838e} or {@code /foo}
     * @return the encoded name
     * @throws IllegalArgumentException for an embedded NUL ({@code embedded null character}) or an
     *     unpaired surrogate (CPython's {@code UnicodeEncodeError} text), naming the value
     */
    public static ShmName of(String name) {
        String osName = "/" + name;
        int nul = osName.indexOf('\0');
        if (nul >= 0) {
            throw new IllegalArgumentException("embedded null character: name=" + PyRepr.str(name));
        }
        for (int i = 0; i < osName.length(); i++) {
            char c = osName.charAt(i);
            if (Character.isSurrogate(c)) {
                boolean paired = Character.isHighSurrogate(c) && i + 1 < osName.length()
                        && Character.isLowSurrogate(osName.charAt(i + 1));
                if (paired) {
                    i++;
                    continue;
                }
                int position = osName.codePointCount(0, i);
                throw new IllegalArgumentException(String.format(
                        "'utf-8' codec can't encode character '\\u%04x' in position %d: surrogates not allowed: name=%s",
                        (int) c, position, PyRepr.str(name)));
            }
        }
        byte[] utf8 = osName.getBytes(StandardCharsets.UTF_8);
        byte[] cString = new byte[utf8.length + 1];
        System.arraycopy(utf8, 0, cString, 0, utf8.length);
        return new ShmName(name, osName, cString);
    }

    /**
     * Returns a fresh generated name, {@code psm_} plus 8 lowercase hex digits.
     *
     * @return the encoded name
     */
    public static ShmName generate() {
        return of(generator.get());
    }

    private static String randomName() {
        byte[] b = new byte[4];
        RANDOM.nextBytes(b);
        char[] out = new char[PREFIX.length() + 8];
        PREFIX.getChars(0, PREFIX.length(), out, 0);
        for (int i = 0; i < 4; i++) {
            out[PREFIX.length() + 2 * i] = HEX[(b[i] >> 4) & 0xf];
            out[PREFIX.length() + 2 * i + 1] = HEX[b[i] & 0xf];
        }
        return new String(out);
    }

    /**
     * Replaces the name generator (tests use it to force a collision); {@code null} restores the
     * random one.
     *
     * @param replacement the new generator, or {@code null}
     */
    public static void setGeneratorForTesting(Supplier<String> replacement) {
        generator = replacement != null ? replacement : ShmName::randomName;
    }

    /**
     * Returns the name as CPython's {@code SharedMemory.name} reports it: the OS name minus one
     * leading slash.
     *
     * @return the reported name
     */
    public String name() {
        return name;
    }

    /**
     * Returns the OS name, {@code "/" + name}.
     *
     * @return the OS name
     */
    public String osName() {
        return osName;
    }

    /**
     * Returns the NUL-terminated UTF-8 bytes of the OS name, for the system calls. The array is
     * shared; callers must not modify it.
     *
     * @return the C string
     */
    public byte[] cString() {
        return osNameBytes;
    }
}
