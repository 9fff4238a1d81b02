package dev.porter.bench.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The targets of issue #15 ("Speed, round two"), each with the value this run measured and whether it is met:
 * Porter ÷ best peer ≥ 1.0 on plaintext c=64, c=256, pipelined, static 1 KiB and 1 MiB and on the loaded variants;
 * with the idle connections held ≥ 0.9 of its own plaintext c=64; CPU per plaintext request ≤ nginx's; live heap
 * per idle connection ≤ 1 KiB. A figure that was not measured, or whose cell failed a {@link Checks check}, is
 * "not measured", neither met nor missed.
 */
final class Targets {

    /**
     * One target.
     *
     * @param name  what is measured
     * @param goal  the target, as the issue states it
     * @param value the measured value, as shown; "not measured" when there is none
     * @param met   whether the value meets the goal; null when not measured
     */
    record Target(String name, String goal, String value, Boolean met) {
        /** @return "met", "not met" or "n/a" */
        String verdict() {
            return met == null ? "n/a" : met ? "met" : "not met";
        }
    }

    private Targets() {}

    /** @return the targets in the order */
    static List<Target> of(Summary summary) {
        List<Target> targets = new ArrayList<>();
        ratio(targets, summary, Job.PLAINTEXT_C64);
        ratio(targets, summary, Job.PLAINTEXT_C256);
        ratio(targets, summary, Job.PIPELINED_16);
        ratio(targets, summary, Job.STATIC_1K);
        ratio(targets, summary, Job.STATIC_1M);
        Summary.IdleFigures idle = summary.idle.get(Summary.PORTER);
        double kept = idle == null ? Double.NaN : idle.kept();
        targets.add(at("idle " + (idle == null ? "" : idle.connections() + " ") + "connections held",
            "plaintext c=64 with them ÷ Porter's own plaintext c=64 ≥ 0.9", kept, Units.ratio(kept), kept >= 0.9));
        Summary.Figures porter = summary.jobs.get(Job.PLAINTEXT_C64).get(Summary.PORTER);
        Summary.Figures nginx = summary.jobs.get(Job.PLAINTEXT_C64).get(Summary.NGINX);
        boolean both = Summary.counts(Job.PLAINTEXT_C64, porter) && Summary.counts(Job.PLAINTEXT_C64, nginx);
        double cpu = both ? porter.cpuUsPerRequest() / nginx.cpuUsPerRequest() : Double.NaN;
        targets.add(at("CPU per plaintext request", "Porter's µs ≤ nginx's (plaintext c=64)", cpu, both
            ? Units.cpu(porter.cpuUsPerRequest()) + " µs vs nginx " + Units.cpu(nginx.cpuUsPerRequest()) + " µs ("
                + Units.ratio(cpu) + ")" : "", cpu <= 1.0));
        double heap = idle == null ? Double.NaN : idle.heapPerConn();
        targets.add(at("live heap per idle connection", "≤ 1 KiB", heap, Units.bytes(heap), heap <= 1024));
        ratio(targets, summary, Job.PLAINTEXT_C64_LOADED);
        ratio(targets, summary, Job.PIPELINED_16_LOADED);
        return targets;
    }

    private static void ratio(List<Target> targets, Summary summary, Job job) {
        double ratio = summary.porterRatio(job);
        targets.add(at(job.label, "Porter ÷ best peer ≥ 1.0", ratio, Units.ratio(ratio), ratio >= 1.0));
    }

    private static Target at(String name, String goal, double value, String shown, boolean met) {
        boolean measured = !Double.isNaN(value) && !Double.isInfinite(value);
        return new Target(name, goal, measured ? shown : "not measured", measured ? met : null);
    }

    /** @return the Markdown section: a heading and a table with a row per target */
    static String markdown(Summary summary) {
        StringBuilder md = new StringBuilder("\n## Targets of issue #15\n\n");
        md.append("Porter ÷ best peer in this run, unless the goal says otherwise; *not measured* where the job did not ")
            .append("run or its cell is an error.\n\n| target | goal | measured | |\n|---|---|---|---|\n");
        for (Target t : of(summary)) {
            md.append("| ").append(t.name()).append(" | ").append(t.goal()).append(" | ").append(t.value()).append(" | ")
                .append(t.met() == null ? "n/a" : t.met() ? "**met**" : "not met").append(" |\n");
        }
        return md.toString();
    }

    /** @return the plain-text lines for the console, after the tables */
    static String text(Summary summary) {
        StringBuilder out = new StringBuilder("Targets of issue #15:\n");
        for (Target t : of(summary)) {
            out.append(String.format(Locale.ROOT, "  %-34s %-62s %s%n", t.name(), t.goal() + ": " + t.value(), t.verdict()));
        }
        return out.toString();
    }
}
