package dev.pyshm.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pyshm.MemorySafetyTest;
import dev.pyshm.testing.ChildJvm;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** pyshm's own faults: close() racing stale views, or a ShareableList's operations, from 8 threads. */
class OwnFaultsIT {

    @Test
    void closeRacingStaleViewsFromEightThreadsForAMillionOperations() throws Exception {
        Map<String, Long> v = runForAMillionOperations(MemorySafetyTest.StaleViewChild.class, "100");
        Report.row("2b", "Own fault: close races views", "8 threads read and write stale ByteBuffers (whole block,"
                        + " windows, slices, LongBuffer views) while another thread closes the block; then the views"
                        + " are used after close", v.get("rounds") + " closes, " + v.get("ops") + " operations",
                "no crash; after close the views see private zero pages, writes land there", "nothing");
    }

    @Test
    void closeRacingShareableListOperationsFromEightThreads() throws Exception {
        Map<String, Long> v = runForAMillionOperations(MemorySafetyTest.ListRaceChild.class, "150");
        Report.row("2c", "Own fault: close races a ShareableList", "8 threads get, set, put and read the format of an"
                        + " attached 1,000-item list while another thread closes the list or its block (every fourth"
                        + " round with a live buf() view)", v.get("rounds") + " closes, " + v.get("ops") + " operations",
                "no crash; every thread ends with `ShareableList '…' is closed`; without views the block is unmapped"
                        + " when close returns (checked in /proc/self/maps)", "nothing");
    }

    /** Runs a race child; it must exit normally after at least 1e6 operations. Returns its figures. */
    private static Map<String, Long> runForAMillionOperations(Class<?> child, String rounds) throws Exception {
        ChildJvm.Result r = ChildJvm.run(null, child, List.of("-Xmx256m"), rounds);
        assertEquals(0, r.exit, r.toString());
        Map<String, Long> v = SoakIT.parse(r.out.replace(" ", "\n"));
        assertTrue(v.get("ops") >= 1_000_000, "only " + v.get("ops") + " operations: " + r.out);
        return v;
    }
}
