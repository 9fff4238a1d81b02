package dev.porter.http.internal.files;

import dev.porter.http.Request;
import dev.porter.http.Response;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Answers a request for a folder without an index file: its listing as HTML, or as JSON for a client that asks
 * for {@code application/json} only, sorted as the query says. Stateless.
 */
public final class ListingAnswer {

    private ListingAnswer() {
    }

    /** Answers with the listing of {@code dir}, reached by the raw relative path {@code relative}. */
    public static void send(Request request, Response response, Path dir, String relative, PathMapper mapper,
                            DirectoryListing.Actions actions) throws IOException {
        DirectoryListing.Contents contents;
        try {
            contents = DirectoryListing.read(dir, mapper);
        } catch (IOException e) {
            throw FileResponder.failure(e);
        }
        int depth = 0;
        for (int i = 0; i < relative.length(); i++) {
            if (relative.charAt(i) != '/' && (i == 0 || relative.charAt(i - 1) == '/')) depth++;
        }
        ListingSort sort = ListingSort.of(request.query("sort"), request.query("order"));
        contents = new DirectoryListing.Contents(sort.sort(contents.entries()), contents.truncated());
        response.header("Vary", "Accept"); // added, not set: a filter's Vary (Origin, for CORS) must stay
        response.setHeader("Cache-Control", "no-cache");
        response.setHeader("X-Content-Type-Options", "nosniff");
        // A 304 goes with Vary and Cache-Control, as a 200 would (§15.4.5).
        if (Conditionals.evaluateWithoutValidators(request.headers()).answer(response)) return;
        String accept = request.header("Accept");
        if (accept != null && accept.contains("application/json") && !accept.contains("text/html")) {
            response.setHeader("Content-Type", "application/json");
            response.send(ListingJson.render(request.path(), contents).getBytes(StandardCharsets.UTF_8));
            return;
        }
        byte[] html = DirectoryListing.render(request.path(), depth, contents, sort, actions).getBytes(StandardCharsets.UTF_8);
        response.setHeader("Content-Type", "text/html; charset=utf-8");
        response.setHeader("Content-Security-Policy", DirectoryListing.CONTENT_SECURITY_POLICY);
        response.send(html);
    }
}
