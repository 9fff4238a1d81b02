package dev.porter.http.internal.proxy;

import dev.porter.http.Headers;

/** Finds one cookie in the {@code Cookie} fields (RFC 6265 §5.4: {@code name=value} pairs split by {@code ;}). Pure. */
final class Cookies {

    private Cookies() {
    }

    /** @return the value of cookie {@code name}, or null */
    static String value(Headers headers, String name) {
        for (int i = 0; i < headers.size(); i++) {
            if (!headers.name(i).equalsIgnoreCase("Cookie")) continue;
            String v = headers.value(i);
            int pos = 0;
            while (pos < v.length()) {
                int end = v.indexOf(';', pos);
                if (end < 0) end = v.length();
                int s = pos;
                while (s < end && v.charAt(s) == ' ') s++;
                int eq = v.indexOf('=', s);
                if (eq > 0 && eq < end && eq - s == name.length() && v.regionMatches(s, name, 0, name.length())) {
                    return v.substring(eq + 1, end).strip();
                }
                pos = end + 1;
            }
        }
        return null;
    }
}
