package dev.porter.http.testing;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The browser's side of server-sent events, for tests: WHATWG HTML §9.2.6 "Interpreting an event stream", step by
 * step (lines split at CRLF, CR or LF; one leading space of a value removed; {@code data} lines joined with LF and
 * the last LF dropped; an id holding NUL ignored; {@code retry} only when all digits; nothing dispatched without
 * data). Feed text as it arrives, in any pieces.
 */
public final class SseParser {

    /** One dispatched event, as a browser's {@code MessageEvent} would carry it. */
    public record Event(String type, String data, String lastEventId) {
    }

    private final List<Event> events = new ArrayList<>();
    private final List<String> comments = new ArrayList<>();
    private final StringBuilder line = new StringBuilder();
    private final StringBuilder data = new StringBuilder();
    private String type = "";
    private String lastEventId = "";
    private long retry = -1;
    private boolean afterCr;

    /** Feeds more of the stream. */
    public SseParser feed(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (afterCr && c == '\n') {
                afterCr = false;
                continue; // the LF of a CRLF
            }
            afterCr = c == '\r';
            if (c == '\r' || c == '\n') {
                line(line.toString());
                line.setLength(0);
            } else {
                line.append(c);
            }
        }
        return this;
    }

    private void line(String l) {
        if (l.isEmpty()) {
            dispatch();
            return;
        }
        if (l.charAt(0) == ':') {
            comments.add(l.substring(1));
            return;
        }
        int colon = l.indexOf(':');
        String field = colon < 0 ? l : l.substring(0, colon);
        String value = colon < 0 ? "" : l.substring(colon + 1);
        if (value.startsWith(" ")) value = value.substring(1);
        switch (field) {
            case "event" -> type = value;
            case "data" -> data.append(value).append('\n');
            case "id" -> {
                if (value.indexOf('\0') < 0) lastEventId = value;
            }
            case "retry" -> {
                if (!value.isEmpty() && value.chars().allMatch(ch -> ch >= '0' && ch <= '9')) retry = Long.parseLong(value);
            }
            default -> { } // ignored, as the spec says
        }
    }

    private void dispatch() {
        if (data.isEmpty()) {
            type = "";
            return;
        }
        String d = data.substring(0, data.length() - 1);
        events.add(new Event(type.isEmpty() ? "message" : type, d, lastEventId));
        data.setLength(0);
        type = "";
    }

    /**
     * Feeds lines (without their line ends, as {@code BodyHandlers.ofLines()} gives them) until an event is
     * dispatched.
     *
     * @return that event
     * @throws AssertionError if the lines end first
     */
    public Event nextEvent(Iterator<String> lines) {
        int before = events.size();
        while (events.size() == before) {
            if (!lines.hasNext()) throw new AssertionError("the stream ended before the next event");
            feed(lines.next() + "\n");
        }
        return events.get(before);
    }

    /** @return the events dispatched so far */
    public List<Event> events() {
        return events;
    }

    /** @return the comments seen so far, without their colon */
    public List<String> comments() {
        return comments;
    }

    /** @return the reconnection time last set by a {@code retry} field, or -1 */
    public long retry() {
        return retry;
    }

    /** @return the last event id buffer */
    public String lastEventId() {
        return lastEventId;
    }
}
