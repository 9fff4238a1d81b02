package dev.porter.http.internal.files;

import dev.porter.http.internal.JsonStrings;

import java.time.Instant;

/**
 * The listing as JSON, for {@code Accept: application/json}: the same entries in the same order as the page.
 * <pre>{@code
 * {"path":"/docs/","truncated":false,"entries":[
 *   {"name":"img","type":"directory","size":0,"modified":"2026-05-01T10:00:00Z","symlink":false}, ...]}
 * }</pre>
 * Sizes in bytes, dates in UTC (ISO 8601). Written by hand: porter-http has no JSON library. Stateless.
 */
public final class ListingJson {

    private ListingJson() {
    }

    /** @return the JSON document for {@code contents} listed at {@code displayPath} */
    public static String render(String displayPath, DirectoryListing.Contents contents) {
        StringBuilder sb = new StringBuilder(64 + contents.entries().size() * 120);
        sb.append("{\"path\":");
        JsonStrings.append(sb, displayPath);
        sb.append(",\"truncated\":").append(contents.truncated()).append(",\"entries\":[");
        boolean first = true;
        for (DirectoryListing.Entry e : contents.entries()) {
            if (!first) sb.append(',');
            first = false;
            sb.append("\n{\"name\":");
            JsonStrings.append(sb, e.name());
            sb.append(",\"type\":\"").append(e.directory() ? "directory" : "file").append("\",\"size\":")
                    .append(e.directory() ? 0 : e.size()).append(",\"modified\":\"")
                    .append(Instant.ofEpochMilli(e.modifiedMillis())).append("\",\"symlink\":").append(e.link()).append('}');
        }
        return sb.append("]}\n").toString();
    }
}
