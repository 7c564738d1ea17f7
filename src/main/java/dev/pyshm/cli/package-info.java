/**
 * The {@code pyshm} command: list, inspect, dump, create, write and remove POSIX shared memory
 * blocks ({@code /dev/shm}), find the processes that map them ({@code /proc/*}{@code /maps}),
 * remove orphans, and run the Java/CPython demo. Built on picocli, an optional dependency that is
 * shaded into {@code target/pyshm.jar}; nothing here is library API except {@link dev.pyshm.cli.Main}.
 */
package dev.pyshm.cli;
