/**
 * JMH benchmarks of pyshm, built only with the Maven profile {@code bench} into
 * {@code target/benchmarks.jar}; {@code bench/compare} runs them next to CPython and a C floor.
 *
 * <ul>
 *   <li>{@link dev.pyshm.bench.LifecycleBench}: create+close+unlink and attach+close of 4 KiB.</li>
 *   <li>{@link dev.pyshm.bench.ReadBench}: sequential reads of a 1 GiB block.</li>
 *   <li>{@link dev.pyshm.bench.ShareableListBench}: ShareableList create, get, set and put.</li>
 *   <li>{@link dev.pyshm.bench.TransferBench}: 64 MiB from a Python process into a Java
 *       {@code byte[]} through pyshm, a loopback socket and Py4J.</li>
 *   <li>{@link dev.pyshm.bench.NativeFloorBench}: the lifecycle system calls straight through
 *       JNA, to split pyshm's overhead into JNA/JVM and library.</li>
 * </ul>
 *
 * <p>Forks run with a fixed heap ({@code -Xms} = {@code -Xmx}), pre-touched
 * ({@code -XX:+AlwaysPreTouch}) where the benchmark allocates per operation. On this VM the first
 * touch of a page costs 12–26 µs: while the heap's pages are still new, allocation-heavy
 * iterations (a {@code Long} per {@code get}) ran 10–25× slower (2.7 ns vs 60–76 ns per 24-byte
 * allocation, a page fault per 170 allocations) for the first seconds of a fork; a long-running
 * service has long since touched its heap.
 */
package dev.pyshm.bench;
