package dev.porter.http.internal.files;

import dev.porter.http.HttpException;
import dev.porter.http.Request;
import dev.porter.http.Response;
import dev.porter.http.Status;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * What a GET for a missing path gets instead of a bare 404, in this order: with pretty URLs, {@code /about} is
 * served from {@code about.html}; in a single-page app, a request that accepts HTML (a browser navigating to a
 * client-side route) gets the root's index file with 200; with a custom page, the root's {@code 404.html} is sent
 * with status 404. Script and image requests ({@code Accept} without {@code text/html}) still get a plain 404, so a
 * missing asset is not answered with a page. Immutable and thread-safe.
 */
public final class Fallbacks {

    /** Largest 404.html sent; it is read whole (it is a page, not a download). */
    static final long MAX_PAGE = 1024 * 1024;

    private final boolean prettyUrls;
    private final boolean spa;
    private final boolean notFoundPage;
    private final FileResponder files;
    private final PathMapper mapper;

    public Fallbacks(boolean prettyUrls, boolean spa, boolean notFoundPage, FileResponder files, PathMapper mapper) {
        this.prettyUrls = prettyUrls;
        this.spa = spa;
        this.notFoundPage = notFoundPage;
        this.files = files;
        this.mapper = mapper;
    }

    /** @return true if any fallback is on */
    public boolean any() {
        return prettyUrls || spa || notFoundPage;
    }

    /** @return true if a fallback answered the request for the missing {@code relative} (a raw relative path) */
    public boolean answer(Request request, Response response, String relative) throws IOException {
        String method = request.method();
        if (!method.equals("GET") && !method.equals("HEAD")) return false;
        if (prettyUrls && !relative.isEmpty() && !relative.endsWith("/")) {
            Path html = regularFile(relative + ".html");
            if (html != null) {
                files.send(request, response, html, html.getFileName().toString());
                return true;
            }
        }
        if (spa) {
            // The app's page answers a navigation here, and the same URL fetched by a script is a 404: a cache must
            // not hand the page to the script (RFC 9110 §12.5.5). Added, not set: a filter's Vary stays.
            response.header("Vary", "Accept");
            String accept = request.header("Accept");
            if (accept != null && accept.contains("text/html") && files.index(request, response, mapper.root())) {
                return true;
            }
        }
        if (notFoundPage) {
            Path page = regularFile("404.html");
            if (page != null && Files.size(page) <= MAX_PAGE) {
                byte[] body = Files.readAllBytes(page);
                response.status(Status.NOT_FOUND);
                response.setHeader("Content-Type", "text/html; charset=utf-8");
                response.setHeader("Cache-Control", "no-cache");
                response.send(body);
                return true;
            }
        }
        return false;
    }

    /** @return the real path of the regular file {@code relative} names, or null if there is none to serve */
    private Path regularFile(String relative) {
        try {
            Path real = mapper.confine(mapper.map(relative));
            return real != null && Files.isRegularFile(real) ? real : null;
        } catch (HttpException | IOException e) {
            return null; // not there, or not a name that could be served: no fallback from it
        }
    }
}
