package dev.porter.http.internal.client;

/** For tests of other packages (the proxy's fuzz test): the bytes of the head a {@link PreparedRequest} writes. */
public final class PreparedHeads {

    private PreparedHeads() {
    }

    /** @return exactly what {@link PreparedRequest#writeHead} writes to the backend's connection */
    public static byte[] of(PreparedRequest request) {
        return request.encode();
    }
}
