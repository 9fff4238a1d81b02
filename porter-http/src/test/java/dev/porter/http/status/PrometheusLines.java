package dev.porter.http.status;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A strict reader of the Prometheus text exposition format 0.0.4, for tests: it fails on anything the format does
 * not allow (a metric name or label out of its grammar, a bad escape, a value that is no float, a TYPE after its
 * samples or twice, samples of one family split up, a counter not ending in {@code _total}, a histogram whose
 * buckets shrink, do not end in {@code +Inf}, or disagree with {@code _count}).
 */
final class PrometheusLines {

    /** One sample line. */
    record Sample(String name, Map<String, String> labels, double value) {
    }

    final List<Sample> samples = new ArrayList<>();
    final Map<String, String> types = new HashMap<>();
    final Map<String, String> help = new HashMap<>();

    static PrometheusLines parse(String text) {
        if (!text.endsWith("\n")) throw new AssertionError("the exposition must end with a line feed");
        PrometheusLines p = new PrometheusLines();
        Set<String> finished = new HashSet<>();
        String current = null;
        for (String line : text.substring(0, text.length() - 1).split("\n", -1)) {
            if (line.isEmpty()) continue;
            if (line.startsWith("# ")) {
                String[] parts = line.split(" ", 4);
                if (parts.length < 3) continue; // a plain comment
                String name = parts[2];
                checkName(name, line);
                if (parts[1].equals("TYPE")) {
                    if (p.types.containsKey(name)) throw new AssertionError("TYPE twice: " + line);
                    if (parts.length != 4 || !Set.of("counter", "gauge", "histogram", "summary", "untyped").contains(parts[3])) {
                        throw new AssertionError("bad TYPE: " + line);
                    }
                    if (finished.contains(name) || name.equals(current)) throw new AssertionError("TYPE after samples: " + line);
                    p.types.put(name, parts[3]);
                } else if (parts[1].equals("HELP")) {
                    if (p.help.put(name, parts.length == 4 ? parts[3] : "") != null) throw new AssertionError("HELP twice: " + line);
                }
                continue;
            }
            Sample s = sample(line);
            String family = family(s.name, p.types);
            if (!family.equals(current)) {
                if (finished.contains(family)) throw new AssertionError("samples of " + family + " are split up: " + line);
                if (current != null) finished.add(current);
                current = family;
            }
            p.samples.add(s);
        }
        p.checkFamilies();
        return p;
    }

    private static String family(String name, Map<String, String> types) {
        for (String suffix : new String[] {"_bucket", "_sum", "_count"}) {
            if (name.endsWith(suffix)) {
                String base = name.substring(0, name.length() - suffix.length());
                if ("histogram".equals(types.get(base))) return base;
            }
        }
        return name;
    }

    private static void checkName(String name, String line) {
        if (!name.matches("[a-zA-Z_:][a-zA-Z0-9_:]*")) throw new AssertionError("bad metric name in: " + line);
    }

    private static Sample sample(String line) {
        int i = 0;
        while (i < line.length() && line.charAt(i) != '{' && line.charAt(i) != ' ') i++;
        String name = line.substring(0, i);
        checkName(name, line);
        Map<String, String> labels = new LinkedHashMap<>();
        if (i < line.length() && line.charAt(i) == '{') {
            i++;
            while (line.charAt(i) != '}') {
                int eq = line.indexOf('=', i);
                String label = line.substring(i, eq);
                if (!label.matches("[a-zA-Z_][a-zA-Z0-9_]*")) throw new AssertionError("bad label name in: " + line);
                if (line.charAt(eq + 1) != '"') throw new AssertionError("label value not quoted in: " + line);
                StringBuilder v = new StringBuilder();
                int j = eq + 2;
                for (; line.charAt(j) != '"'; j++) {
                    char c = line.charAt(j);
                    if (c == '\\') {
                        char e = line.charAt(++j);
                        if (e == 'n') v.append('\n');
                        else if (e == '\\' || e == '"') v.append(e);
                        else throw new AssertionError("bad escape in: " + line);
                    } else {
                        v.append(c);
                    }
                }
                if (labels.put(label, v.toString()) != null) throw new AssertionError("label twice in: " + line);
                i = j + 1;
                if (line.charAt(i) == ',') i++;
            }
            i++;
        }
        if (line.charAt(i) != ' ') throw new AssertionError("no space before the value in: " + line);
        String[] rest = line.substring(i + 1).split(" ");
        if (rest.length > 2) throw new AssertionError("too many fields in: " + line);
        return new Sample(name, labels, value(rest[0], line));
    }

    private static double value(String v, String line) {
        switch (v) {
            case "+Inf": return Double.POSITIVE_INFINITY;
            case "-Inf": return Double.NEGATIVE_INFINITY;
            case "NaN": return Double.NaN;
            default:
                if (!v.matches("[-+]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][-+]?[0-9]+)?")) throw new AssertionError("bad value in: " + line);
                return Double.parseDouble(v);
        }
    }

    private void checkFamilies() {
        for (Map.Entry<String, String> t : types.entrySet()) {
            String name = t.getKey();
            if (t.getValue().equals("counter") && !name.endsWith("_total")) throw new AssertionError("counter without _total: " + name);
            if (t.getValue().equals("histogram")) checkHistogram(name);
        }
        for (Sample s : samples) {
            if (!types.containsKey(family(s.name, types))) throw new AssertionError("sample without TYPE: " + s);
        }
    }

    private void checkHistogram(String name) {
        double last = -1;
        double previousLe = Double.NEGATIVE_INFINITY;
        boolean inf = false;
        for (Sample s : samples) {
            if (!s.name.equals(name + "_bucket")) continue;
            double le = value(s.labels.get("le"), s.toString());
            if (le <= previousLe) throw new AssertionError("buckets not in order of le: " + s);
            if (s.value < last) throw new AssertionError("buckets not cumulative: " + s);
            previousLe = le;
            last = s.value;
            inf = Double.isInfinite(le);
        }
        if (!inf) throw new AssertionError(name + " has no +Inf bucket");
        if (value(name + "_count") != last) throw new AssertionError(name + "_count differs from the +Inf bucket");
        value(name + "_sum");
    }

    /** @return the value of the sample {@code name} with {@code labels} (name, value, name, value…) */
    double value(String name, String... labels) {
        for (Sample s : samples) {
            if (!s.name.equals(name)) continue;
            boolean match = true;
            for (int i = 0; i < labels.length; i += 2) match &= labels[i + 1].equals(s.labels.get(labels[i]));
            if (match) return s.value;
        }
        throw new AssertionError("no sample " + name + " " + String.join(",", labels));
    }
}
