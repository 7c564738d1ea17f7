package dev.pyshm.cli;

import dev.pyshm.internal.Json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonParser;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class CliUsageTest {
    private static final List<String> SUBCOMMANDS = List.of("ls", "info", "dump", "list", "create", "write", "rm", "gc", "demo");

    @Test
    void helpListsEverySubcommandAndTheExitCodes() {
        Cli.Run r = Cli.run("--help");
        assertEquals(0, r.exit, r::toString);
        for (String s : SUBCOMMANDS) {
            assertTrue(r.out.contains("\n  " + s + " "), () -> s + " missing:\n" + r.out);
        }
        assertExitCodes(r.out);
    }

    @ParameterizedTest
    @ValueSource(strings = {"ls", "info", "dump", "list", "create", "write", "rm", "gc", "demo"})
    void everySubcommandHelpDocumentsTheExitCodes(String sub) {
        Cli.Run r = Cli.run(sub, "--help");
        assertEquals(0, r.exit, r::toString);
        assertTrue(r.out.contains("Usage: pyshm " + sub + " "), r::toString);
        assertExitCodes(r.out);
    }

    private static void assertExitCodes(String help) {
        assertTrue(help.contains("Exit codes:"), help);
        for (String line : List.of("  0   success", "  1   failure", "  2   bad usage", "  3   not found", "  4   permission denied",
                "  5   already exists")) {
            assertTrue(help.contains(line), () -> line + " missing:\n" + help);
        }
    }

    @Test
    void noSubcommandIsAUsageError() {
        Cli.Run r = Cli.run();
        assertEquals(2, r.exit, r::toString);
        assertTrue(r.err.startsWith("Missing subcommand"), r::toString);
    }

    @Test
    void unknownOptionIsAUsageError() {
        Cli.Run r = Cli.run("ls", "--colour");
        assertEquals(2, r.exit, r::toString);
        assertTrue(r.err.contains("Unknown option: '--colour'"), r::toString);
    }

    static Stream<Arguments> malformedValues() {
        return Stream.of(new String[] {"create", "12Q"}, new String[] {"create", "1.5M"},
                new String[] {"gc", "--older-than", "10parsecs"}, new String[] {"create", "--mode", "0800", "4096"},
                new String[] {"dump", "x", "--offset", "lots"}).map(a -> Arguments.of((Object) a));
    }

    @ParameterizedTest
    @MethodSource("malformedValues")
    void malformedValuesAreUsageErrorsNamingTheValue(String[] args) {
        Cli.Run r = Cli.run(args);
        assertEquals(2, r.exit, r::toString);
        String bad = args[args.length - 1].equals("4096") ? args[args.length - 2] : args[args.length - 1];
        assertTrue(r.err.contains(bad), r::toString);
    }

    @Test
    void versionNamesPyshmAndJava() {
        Cli.Run r = Cli.run("--version");
        assertEquals(0, r.exit);
        assertTrue(r.out.startsWith("pyshm ") && r.out.contains("Java " + System.getProperty("java.version")), r.out);
    }

    @ParameterizedTest
    @CsvSource({"4096,4096", "64K,65536", "64k,65536", "1M,1048576", "1MiB,1048576", "1G,1073741824", "2T,2199023255552",
        "0,0", "7 KB,7168"})
    void sizesUseBinaryMultiples(String text, long bytes) {
        assertEquals(bytes, Units.parseSize(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "K", "1.5M", "-1", "1X", "9999999999999999999", "9000000000000T"})
    void badSizesNameTheText(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Units.parseSize(text));
        assertTrue(e.getMessage().endsWith(": " + text), e.getMessage());
    }

    @ParameterizedTest
    @CsvSource({"90s,90", "10m,600", "2h,7200", "1d,86400", "1w,604800", "0s,0"})
    void durations(String text, long seconds) {
        assertEquals(Duration.ofSeconds(seconds), Units.parseDuration(text));
    }

    @ParameterizedTest
    @CsvSource({"0600,384", "600,384", "0640,416", "0,0", "0777,511"})
    void octalModes(String text, int mode) {
        assertEquals(mode, Units.parseMode(text));
    }

    @Test
    void combinedExitCodeIsTheCommonFailureOrOne() {
        assertEquals(0, ExitCode.combine(List.of(0, 0)));
        assertEquals(3, ExitCode.combine(List.of(0, 3, 3)));
        assertEquals(1, ExitCode.combine(List.of(3, 4)));
        assertEquals(0, ExitCode.combine(List.of()));
    }

    @Test
    void jsonWriterEscapesWhatJsonRequires() {
        String nasty = "q\"b\\s\n\t\u0001\u007f é 😀 \ud800 end";
        String text = new Json().beginObject().name("s").value(nasty).name("n").value(-5).name("a").beginArray()
                .value(true).nullValue().number("2.5").endArray().name("e").beginObject().endObject().endObject().toString();
        var o = JsonParser.parseString(text).getAsJsonObject();
        assertEquals(nasty, o.get("s").getAsString());
        assertEquals(-5, o.get("n").getAsInt());
        assertEquals("[true,null,2.5]", o.get("a").toString());
        assertEquals("{}", o.get("e").toString());
    }

    @Test
    void tableAlignsColumns() {
        java.io.StringWriter sw = new java.io.StringWriter();
        new Table("NAME", "SIZE", "X").alignRight(1).row("a", "1", "é").row("bbbb", "12345", "").print(new java.io.PrintWriter(sw, true));
        assertEquals("NAME   SIZE  X\na         1  é\nbbbb  12345\n", sw.toString().replace(System.lineSeparator(), "\n"));
    }
}
