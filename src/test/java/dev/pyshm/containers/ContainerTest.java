package dev.pyshm.containers;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A container test class: runs only when a Docker engine and pyshm's images are there (else one
 * line says why, or with {@code PYSHM_REQUIRE_DOCKER=1} the class fails), and records its
 * {@link Check} results in the container interop matrix. A test or lifecycle method that hangs
 * (a peer that never answers blocks in a read no interrupt ends) fails after 3 minutes.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith({DockerRequired.class, MatrixRecorder.class})
@Timeout(value = 3, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
@interface ContainerTest {
}
