package dev.porter.bench.ws;

import java.util.List;

/**
 * What one run of {@link EchoLoad} measured.
 *
 * @param echoes          echoes received in the window
 * @param durationNanos   the window's length
 * @param bytes           payload bytes echoed in the window
 * @param latency         latency of those echoes, microseconds
 * @param errors          failed handshakes plus connections dropped for an error (warm-up included)
 * @param firstErrors     the first few errors' descriptions
 * @param opened          connections that completed the handshake
 * @param serverCpuTicks  the server's CPU time in the window, clock ticks (-1 unknown)
 * @param clientCpuTicks  this process's CPU time in the window, clock ticks
 * @param retransmitted   TCP segments the kernel retransmitted in the window (see {@link NetStat}); -1 unknown
 */
record EchoResult(long echoes, long durationNanos, long bytes, LatencyHistogram latency, long errors,
                  List<String> firstErrors, int opened, long serverCpuTicks, long clientCpuTicks, long retransmitted) {}
