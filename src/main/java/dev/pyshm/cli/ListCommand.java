package dev.pyshm.cli;

import dev.pyshm.ShareableList;
import dev.pyshm.SharedMemory;
import dev.pyshm.internal.Json;
import dev.pyshm.internal.PyRepr;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code pyshm list NAME}: a ShareableList's items as Python prints them, or as JSON. */
@Command(name = "list", sortOptions = false,
        header = "Print a ShareableList as Python would, or as JSON.",
        description = {
            "Decode a CPython ShareableList (either layout, 3.8 or 3.9+) and print its items as Python's "
                + "repr(list(sl)) does, e.g. [1, 2.5, True, None, 'hi', b'\\x00'].",
            "--json prints a JSON array: int as a number, float as a number (nan/inf as {\"float\": \"nan\"}), "
                + "bytes as {\"bytes\": \"<hex>\"}, str, bool and None as themselves."})
final class ListCommand extends Subcommand {
    @Parameters(paramLabel = "NAME", description = "The block name.")
    String name;

    @Option(names = "--json", description = "Print a JSON array.")
    boolean json;

    @Override
    int run() {
        try (ShareableList sl = ShareableList.attach(name, null, SharedMemory.Options.defaults().readOnly(true))) {
            if (!json) {
                out().println(PyRepr.list(sl));
                return ExitCode.OK;
            }
            Json j = new Json().beginArray();
            for (Object v : sl) {
                value(j, v);
            }
            out().println(j.endArray());
            return ExitCode.OK;
        } catch (IllegalStateException e) {
            return fail(name, new CliException(ExitCode.FAILURE, "not a ShareableList: " + e.getMessage(), e));
        } catch (Exception e) {
            return fail(name, e);
        }
    }

    private static void value(Json j, Object v) {
        if (v == null) {
            j.nullValue();
        } else if (v instanceof Boolean) {
            j.value((Boolean) v);
        } else if (v instanceof Long) {
            j.value((Long) v);
        } else if (v instanceof Double) {
            double d = (Double) v;
            if (Double.isFinite(d)) {
                j.number(PyRepr.floating(d));
            } else {
                j.beginObject().name("float").value(PyRepr.floating(d)).endObject();
            }
        } else if (v instanceof byte[]) {
            StringBuilder hex = new StringBuilder();
            for (byte b : (byte[]) v) {
                hex.append(String.format("%02x", b & 0xff));
            }
            j.beginObject().name("bytes").value(hex.toString()).endObject();
        } else {
            j.value(String.valueOf(v));
        }
    }
}
