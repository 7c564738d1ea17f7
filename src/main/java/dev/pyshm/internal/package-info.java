/**
 * Implementation details of pyshm: the native bindings (one class per operating system), errno
 * translation, mapping lifetime, the creator-side tracker and Python-style formatting.
 *
 * <p>Nothing in this package is API. It is exported only because the public classes in
 * {@code dev.pyshm} and the command-line tool are compiled against it; its types may change in any
 * release.
 */
package dev.pyshm.internal;
