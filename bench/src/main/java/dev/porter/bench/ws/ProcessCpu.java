package dev.porter.bench.ws;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time of a process and its children from {@code /proc} ({@code utime + stime}, in clock ticks), as
 * {@code bench/run} counts a server's: the load client reads the server's at the start and end of its measured
 * window, and its own, so both costs per message are known.
 */
final class ProcessCpu {

    private ProcessCpu() {}

    /** @return utime + stime of the process and its direct children, in clock ticks; -1 if it is gone */
    static long treeTicks(long pid) {
        long self = ticks(pid);
        if (self < 0) return -1;
        long total = self;
        for (ProcessHandle child : ProcessHandle.of(pid).map(h -> h.children().toList()).orElse(java.util.List.of())) {
            total += Math.max(0, ticks(child.pid()));
        }
        return total;
    }

    /** @return utime + stime of this process, in clock ticks */
    static long selfTicks() {
        return ticks(ProcessHandle.current().pid());
    }

    /** @return utime + stime of one process, in clock ticks; -1 if it cannot be read */
    static long ticks(long pid) {
        try {
            return parse(Files.readString(Path.of("/proc/" + pid + "/stat")));
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** Parses a {@code /proc/PID/stat} line: fields 14 and 15 (utime, stime), counted after the command's ')'. */
    static long parse(String stat) {
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
        // After ")": state(3) ppid(4) ... utime is field 14, stime 15: indexes 11 and 12 here.
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }
}
