package dev.pyshm.containers;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** The column of the container interop matrix a test method fills (one of {@link MatrixRecorder#COLUMNS}). */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@interface Check {
    /**
     * The column.
     *
     * @return its name
     */
    String value();
}
