package dev.porter.http.internal.files;

import dev.porter.http.HttpException;
import dev.porter.http.Request;
import dev.porter.http.Status;

/**
 * Refuses writes that a page of another site makes a browser send (cross-site request forgery): a plain HTML form
 * can POST {@code multipart/form-data} anywhere without a CORS preflight, and the browser attaches the user's Basic
 * credentials. Browsers say where a request comes from: {@code Origin} (RFC 6454 §7; sent with every POST and with
 * every cross-origin request) and {@code Sec-Fetch-Site} (Fetch Metadata). A write is accepted when its
 * {@code Origin} is this server's own ({@code scheme://Host}) or the one trusted origin, or, without
 * {@code Origin}, when {@code Sec-Fetch-Site} is absent, {@code same-origin} or {@code none} (typed by the user).
 * {@code same-site} is refused: another port of the same host is same-site. Clients that send neither header
 * (curl, wget, scripts) are not browsers, and no page can make them send anything. Stateless.
 */
public final class CrossSite {

    private CrossSite() {
    }

    /**
     * @param trustedOrigin an origin allowed to write from its own pages, or null
     * @throws HttpException 403 for a cross-site write
     */
    public static void check(Request request, String trustedOrigin) {
        String origin = request.header("Origin");
        if (origin != null) {
            String host = request.header("Host");
            if (host != null && origin.equals(request.scheme() + "://" + host)) return;
            if (trustedOrigin != null && origin.equals(trustedOrigin)) return;
            throw refused();
        }
        String site = request.header("Sec-Fetch-Site");
        if (site != null && !site.equals("same-origin") && !site.equals("none")) throw refused();
    }

    private static HttpException refused() {
        return new HttpException(Status.FORBIDDEN, "cross-site upload refused: the request comes from another site's page");
    }
}
