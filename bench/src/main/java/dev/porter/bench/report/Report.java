package dev.porter.bench.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Turns the raw figures of a {@code bench/run} into its outputs: prints the table, and writes
 * {@code latest.json} and {@code latest.md} into the results folder and the chart to the given SVG path.
 *
 * <p>Usage: {@code Report <resultsDir> <chart.svg>}. Reading the same folder again gives the same outputs.
 */
public final class Report {

    private Report() {}

    /**
     * Runs the report.
     *
     * @param args {@code <resultsDir> <chart.svg>}
     * @throws IOException when the raw figures cannot be read or an output cannot be written
     */
    public static void main(String[] args) throws IOException {
        if (args.length != 2) throw new IllegalArgumentException("usage: Report <resultsDir> <chart.svg>");
        Path dir = Path.of(args[0]);
        Summary summary = new Summary(Results.load(dir));
        System.out.print(new TextTable(summary).render());
        Files.writeString(dir.resolve("latest.json"), new JsonReport(summary).render(), StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("latest.md"), new MarkdownReport(summary).render(), StandardCharsets.UTF_8);
        Files.writeString(Path.of(args[1]), new SvgChart(summary).render(), StandardCharsets.UTF_8);
    }
}
