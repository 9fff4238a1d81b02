package dev.porter.http;

/**
 * An HTTP status code with its reason phrase (RFC 9110 §15). Immutable. Common codes are constants;
 * {@link #of(int)} returns them, or a new value with a generic reason for other codes in 100..999.
 *
 * @param code   the three-digit code
 * @param reason the reason phrase sent on the status line
 */
public record Status(int code, String reason) {

    public static final Status CONTINUE = new Status(100, "Continue");
    public static final Status SWITCHING_PROTOCOLS = new Status(101, "Switching Protocols");
    public static final Status OK = new Status(200, "OK");
    public static final Status CREATED = new Status(201, "Created");
    public static final Status ACCEPTED = new Status(202, "Accepted");
    public static final Status NO_CONTENT = new Status(204, "No Content");
    public static final Status PARTIAL_CONTENT = new Status(206, "Partial Content");
    public static final Status MOVED_PERMANENTLY = new Status(301, "Moved Permanently");
    public static final Status FOUND = new Status(302, "Found");
    public static final Status SEE_OTHER = new Status(303, "See Other");
    public static final Status NOT_MODIFIED = new Status(304, "Not Modified");
    public static final Status TEMPORARY_REDIRECT = new Status(307, "Temporary Redirect");
    public static final Status PERMANENT_REDIRECT = new Status(308, "Permanent Redirect");
    public static final Status BAD_REQUEST = new Status(400, "Bad Request");
    public static final Status UNAUTHORIZED = new Status(401, "Unauthorized");
    public static final Status FORBIDDEN = new Status(403, "Forbidden");
    public static final Status NOT_FOUND = new Status(404, "Not Found");
    public static final Status METHOD_NOT_ALLOWED = new Status(405, "Method Not Allowed");
    public static final Status NOT_ACCEPTABLE = new Status(406, "Not Acceptable");
    public static final Status REQUEST_TIMEOUT = new Status(408, "Request Timeout");
    public static final Status CONFLICT = new Status(409, "Conflict");
    public static final Status GONE = new Status(410, "Gone");
    public static final Status LENGTH_REQUIRED = new Status(411, "Length Required");
    public static final Status PRECONDITION_FAILED = new Status(412, "Precondition Failed");
    public static final Status CONTENT_TOO_LARGE = new Status(413, "Content Too Large");
    public static final Status URI_TOO_LONG = new Status(414, "URI Too Long");
    public static final Status UNSUPPORTED_MEDIA_TYPE = new Status(415, "Unsupported Media Type");
    public static final Status RANGE_NOT_SATISFIABLE = new Status(416, "Range Not Satisfiable");
    public static final Status EXPECTATION_FAILED = new Status(417, "Expectation Failed");
    public static final Status UNPROCESSABLE_CONTENT = new Status(422, "Unprocessable Content");
    public static final Status TOO_MANY_REQUESTS = new Status(429, "Too Many Requests");
    public static final Status REQUEST_HEADER_FIELDS_TOO_LARGE = new Status(431, "Request Header Fields Too Large");
    public static final Status INTERNAL_SERVER_ERROR = new Status(500, "Internal Server Error");
    public static final Status NOT_IMPLEMENTED = new Status(501, "Not Implemented");
    public static final Status BAD_GATEWAY = new Status(502, "Bad Gateway");
    public static final Status SERVICE_UNAVAILABLE = new Status(503, "Service Unavailable");
    public static final Status GATEWAY_TIMEOUT = new Status(504, "Gateway Timeout");
    public static final Status HTTP_VERSION_NOT_SUPPORTED = new Status(505, "HTTP Version Not Supported");
    /** 507 (RFC 4918 §11.5): the server could not store what the request sent, such as an upload on a full disk. */
    public static final Status INSUFFICIENT_STORAGE = new Status(507, "Insufficient Storage");

    private static final Status[] KNOWN = {
        CONTINUE, SWITCHING_PROTOCOLS, OK, CREATED, ACCEPTED, NO_CONTENT, PARTIAL_CONTENT, MOVED_PERMANENTLY, FOUND,
        SEE_OTHER, NOT_MODIFIED, TEMPORARY_REDIRECT, PERMANENT_REDIRECT, BAD_REQUEST, UNAUTHORIZED, FORBIDDEN,
        NOT_FOUND, METHOD_NOT_ALLOWED, NOT_ACCEPTABLE, REQUEST_TIMEOUT, CONFLICT, GONE, LENGTH_REQUIRED,
        PRECONDITION_FAILED, CONTENT_TOO_LARGE, URI_TOO_LONG, UNSUPPORTED_MEDIA_TYPE, RANGE_NOT_SATISFIABLE,
        EXPECTATION_FAILED, UNPROCESSABLE_CONTENT, TOO_MANY_REQUESTS, REQUEST_HEADER_FIELDS_TOO_LARGE,
        INTERNAL_SERVER_ERROR, NOT_IMPLEMENTED, BAD_GATEWAY, SERVICE_UNAVAILABLE, GATEWAY_TIMEOUT,
        HTTP_VERSION_NOT_SUPPORTED, INSUFFICIENT_STORAGE,
    };
    private static final Status[] BY_CODE = new Status[1000];

    static {
        for (Status s : KNOWN) BY_CODE[s.code] = s;
    }

    /** Validates the code (100..999) and the reason (no CR, LF or other control characters). */
    public Status {
        if (code < 100 || code > 999) throw new IllegalArgumentException("status code must be 100..999: " + code);
        for (int i = 0; i < reason.length(); i++) {
            char ch = reason.charAt(i);
            if ((ch < 0x20 && ch != '\t') || ch == 0x7F) {
                throw new IllegalArgumentException("control character in reason phrase");
            }
        }
    }

    /** @return the constant for {@code code}, or a new status with a generic reason */
    public static Status of(int code) {
        if (code >= 100 && code <= 999 && BY_CODE[code] != null) return BY_CODE[code];
        return new Status(code, switch (code / 100) {
            case 1 -> "Informational";
            case 2 -> "Success";
            case 3 -> "Redirection";
            case 4 -> "Client Error";
            default -> "Server Error";
        });
    }

    /** @return true for 1xx */
    public boolean isInformational() {
        return code < 200;
    }

    /** @return true if a response with this status never has content (1xx, 204, 304; RFC 9110 §6.4.1) */
    public boolean forbidsBody() {
        return code < 200 || code == 204 || code == 304;
    }

    @Override
    public String toString() {
        return code + " " + reason;
    }
}
