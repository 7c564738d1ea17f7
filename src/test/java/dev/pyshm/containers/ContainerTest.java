package dev.pyshm.containers;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A container test class: runs only when a Docker engine and pyshm's images are there (else one
 * line says why, or with {@code PYSHM_REQUIRE_DOCKER=1} the class fails), and records its
 * {@link Check} results in the container interop matrix.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith({DockerRequired.class, MatrixRecorder.class})
@interface ContainerTest {
}
