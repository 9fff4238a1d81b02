package dev.porter.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A deliberately dumb HTTP/1.1 client for the static-file tests: sends the request target exactly as given (no
 * normalisation, so traversal attempts reach the server verbatim) over a fresh socket on 127.0.0.1, and parses one
 * response (Content-Length, chunked, or read to close).
 */
final class StaticClient {

    /** One parsed response. Header names are lower-cased. */
    record Reply(int status, Map<String, List<String>> headers, byte[] body) {
        String header(String name) {
            List<String> v = headers.get(name.toLowerCase(Locale.ROOT));
            return v == null ? null : v.get(0);
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private final int port;

    StaticClient(int port) {
        this.port = port;
    }

    Reply get(String target, String... headerLines) throws IOException {
        return exchange("GET", target, headerLines);
    }

    Reply head(String target, String... headerLines) throws IOException {
        return exchange("HEAD", target, headerLines);
    }

    Reply exchange(String method, String target, String... headerLines) throws IOException {
        StringBuilder req = new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\nHost: 127.0.0.1\r\n");
        for (String h : headerLines) req.append(h).append("\r\n");
        req.append("Connection: close\r\n\r\n");
        return raw(req.toString().getBytes(StandardCharsets.ISO_8859_1), method.equals("HEAD"));
    }

    /** Sends {@code request} as is and reads one response. */
    Reply raw(byte[] request, boolean headRequest) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            s.setSoTimeout(20_000);
            OutputStream out = s.getOutputStream();
            out.write(request);
            out.flush();
            return read(s.getInputStream(), headRequest);
        }
    }

    static Reply read(InputStream in, boolean headRequest) throws IOException {
        String status = line(in);
        if (status == null || !status.startsWith("HTTP/1.")) throw new IOException("no status line: " + status);
        int code = Integer.parseInt(status.substring(9, 12));
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (String l; !(l = line(in)).isEmpty(); ) {
            int colon = l.indexOf(':');
            headers.computeIfAbsent(l.substring(0, colon).trim().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                    .add(l.substring(colon + 1).trim());
        }
        byte[] body;
        List<String> te = headers.get("transfer-encoding");
        List<String> cl = headers.get("content-length");
        if (headRequest || code == 204 || code == 304 || code < 200) {
            body = new byte[0];
        } else if (te != null && te.get(0).equalsIgnoreCase("chunked")) {
            body = chunked(in);
        } else if (cl != null) {
            body = in.readNBytes(Integer.parseInt(cl.get(0)));
        } else {
            body = in.readAllBytes();
        }
        return new Reply(code, headers, body);
    }

    private static byte[] chunked(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while (true) {
            String size = line(in);
            int semi = size.indexOf(';');
            int n = Integer.parseInt(semi < 0 ? size.trim() : size.substring(0, semi).trim(), 16);
            if (n == 0) {
                while (!line(in).isEmpty()) {
                    // trailer fields: none expected, skipped
                }
                return out.toByteArray();
            }
            out.write(in.readNBytes(n));
            if (!line(in).isEmpty()) throw new IOException("chunk not followed by CRLF");
        }
    }

    /** @return one CRLF-terminated line without the CRLF, or null at end of stream */
    static String line(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream(64);
        int c;
        while ((c = in.read()) >= 0) {
            if (c == '\n') {
                byte[] a = b.toByteArray();
                int len = a.length > 0 && a[a.length - 1] == '\r' ? a.length - 1 : a.length;
                return new String(a, 0, len, StandardCharsets.ISO_8859_1);
            }
            b.write(c);
        }
        return b.size() == 0 ? null : b.toString(StandardCharsets.ISO_8859_1);
    }

    /** One part of a multipart/byteranges body. */
    record Part(Map<String, String> headers, byte[] body) {
    }

    /** Splits a multipart/byteranges body by the boundary of its Content-Type. */
    static List<Part> multipart(Reply r) {
        String type = r.header("Content-Type");
        String boundary = type.substring(type.indexOf("boundary=") + "boundary=".length());
        byte[] b = r.body();
        String latin = new String(b, StandardCharsets.ISO_8859_1);
        String delimiter = "--" + boundary;
        List<Part> parts = new ArrayList<>();
        int at = latin.indexOf(delimiter);
        while (true) {
            int lineEnd = latin.indexOf("\r\n", at);
            if (latin.startsWith("--", at + delimiter.length())) break; // close delimiter
            int headEnd = latin.indexOf("\r\n\r\n", lineEnd);
            Map<String, String> headers = new LinkedHashMap<>();
            for (String l : latin.substring(lineEnd + 2, headEnd).split("\r\n")) {
                int colon = l.indexOf(':');
                headers.put(l.substring(0, colon).trim().toLowerCase(Locale.ROOT), l.substring(colon + 1).trim());
            }
            int next = latin.indexOf("\r\n" + delimiter, headEnd + 4);
            byte[] body = java.util.Arrays.copyOfRange(b, headEnd + 4, next);
            parts.add(new Part(headers, body));
            at = next + 2;
        }
        return parts;
    }
}
