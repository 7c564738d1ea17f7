package dev.pyshm.cli;

import java.time.Duration;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** picocli converters for {@link Units}; a bad value becomes a usage error (exit code 2). */
final class Converters {
    private Converters() {
    }

    /** {@code 4096}, {@code 64K}, {@code 1M}, {@code 1G}. */
    static final class Size implements ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            try {
                return Units.parseSize(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    /** {@code 90s}, {@code 10m}, {@code 2h}, {@code 1d}. */
    static final class Age implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            try {
                return Units.parseDuration(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    /** Octal permission bits, {@code 0600}. */
    static final class Mode implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            try {
                return Units.parseMode(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }
}
