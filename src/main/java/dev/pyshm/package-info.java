/**
 * CPython-compatible POSIX shared memory for Java.
 *
 * <p>{@link dev.pyshm.SharedMemory} is CPython's {@code multiprocessing.shared_memory.SharedMemory}
 * with the same names, flags, modes and sizes, so a block created by CPython 3.8+ attaches from
 * Java by name and the reverse. {@link dev.pyshm.ShareableList} reads and writes CPython's
 * {@code ShareableList} format (both the 3.8 and the 3.9+ layouts).
 */
package dev.pyshm;
