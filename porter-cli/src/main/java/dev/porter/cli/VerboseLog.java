package dev.porter.cli;

import dev.porter.http.Filter;
import dev.porter.http.Handler;
import dev.porter.http.Headers;
import dev.porter.http.HttpException;
import dev.porter.http.Request;
import dev.porter.http.Response;
import dev.porter.http.Status;

import java.util.function.Consumer;

/**
 * {@code --log-level verbose} (jwebserver's {@code -o verbose}): before each access-log line, the request's header
 * fields ({@code > Name: value}) and the response's as the handler set them ({@code < Name: value}; the server adds
 * Date, Server and the framing when it writes the head). {@code Authorization} is shown as {@code [hidden]}: a log
 * is no place for passwords. Values are escaped like the access log's, so a header cannot forge a line.
 */
final class VerboseLog implements Filter {

    /** Takes each request's lines at once, in order with the access log's (its queue's {@code text}). */
    private final Consumer<String> out;

    VerboseLog(Consumer<String> out) {
        this.out = out;
    }

    @Override
    public void filter(Request request, Response response, Handler next) throws Exception {
        Status thrown = null;
        try {
            next.handle(request, response);
        } catch (HttpException e) {
            // Answered by throwing (StaticFiles' 404, 403, 400): the server sends this status after this filter, so
            // the response still says 200 here.
            if (!response.committed()) thrown = e.status();
            throw e;
        } finally {
            Status status = thrown != null ? thrown : response.status();
            StringBuilder sb = new StringBuilder(512);
            sb.append("> ").append(clean(request.method())).append(' ').append(clean(request.target())).append(' ')
                    .append(request.version()).append('\n');
            fields(sb, "> ", request.headers());
            sb.append("< ").append(status.code()).append(' ').append(status.reason()).append('\n');
            fields(sb, "< ", response.headers());
            out.accept(sb.toString());
        }
    }

    private static void fields(StringBuilder sb, String prefix, Headers headers) {
        for (int i = 0; i < headers.size(); i++) {
            String name = headers.name(i);
            sb.append(prefix).append(clean(name)).append(": ")
                    .append(name.equalsIgnoreCase("Authorization") ? "[hidden]" : clean(headers.value(i))).append('\n');
        }
    }

    private static String clean(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7F) sb.append("\\x").append(Character.forDigit(c >> 4, 16)).append(Character.forDigit(c & 0xF, 16));
            else sb.append(c);
        }
        return sb.toString();
    }
}
