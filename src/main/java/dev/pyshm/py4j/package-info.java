/**
 * The Py4J gateway: lets a Python process drive pyshm in a JVM.
 *
 * <p>{@link dev.pyshm.py4j.Gateway} is a {@code main} that starts a {@code py4j.GatewayServer} on
 * 127.0.0.1 with a random auth token, prints one JSON ready line and exits when its parent goes
 * away; {@link dev.pyshm.py4j.PyshmEntryPoint} is what Python reaches as
 * {@code gateway.entry_point}. Py4J ({@code net.sf.py4j:py4j}) is an optional dependency of
 * pyshm: it is inside {@code target/pyshm.jar}, and a library user who never starts the gateway
 * does not need it.
 */
package dev.pyshm.py4j;
