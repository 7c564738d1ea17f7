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
 * </ul>
 */
package dev.pyshm.bench;
