package dev.porter.bench.ws;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * TCP segments the kernel retransmitted ({@code RetransSegs} in {@code /proc/net/snmp}, for the whole network
 * namespace). On loopback nothing is lost, so retransmissions during a run mean ACKs came later than the
 * retransmission timeout (200 ms at least): the machine was too busy to run the receiving side in time, and the
 * run's latencies and rates are noise. WsLoad reports the count over its measured window so that bench/run can
 * say so.
 */
final class NetStat {

    private NetStat() {}

    /** @return the namespace's retransmitted TCP segments so far, or -1 when unknown */
    static long retransSegs() {
        try {
            return parse(Files.readAllLines(Path.of("/proc/net/snmp")));
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** @return RetransSegs from the two {@code Tcp:} lines (names, then values), or -1 without them */
    static long parse(List<String> snmp) {
        String[] names = null;
        for (String line : snmp) {
            if (!line.startsWith("Tcp:")) continue;
            String[] fields = line.trim().split("\\s+");
            if (names == null) {
                names = fields;
            } else {
                for (int i = 1; i < names.length && i < fields.length; i++) {
                    if (names[i].equals("RetransSegs")) return Long.parseLong(fields[i]);
                }
                return -1;
            }
        }
        return -1;
    }
}
