package dev.porter.http.internal.http1;

import java.util.ArrayList;
import java.util.List;

/** The list rule of RFC 9110 §5.6.1, shared by request and response framing and the client's content codings. */
public final class FieldLists {

    private FieldLists() {
    }

    /** @return the elements of a comma-separated field value, trimmed of OWS; empty elements are dropped */
    public static List<String> elements(String list) {
        List<String> out = new ArrayList<>(2);
        int n = list.length();
        int i = 0;
        while (i <= n) {
            int start = i;
            while (i < n && list.charAt(i) != ',') i++;
            int s = start;
            int e = i;
            while (s < e && (list.charAt(s) == ' ' || list.charAt(s) == '\t')) s++;
            while (e > s && (list.charAt(e - 1) == ' ' || list.charAt(e - 1) == '\t')) e--;
            i++;
            if (s < e) out.add(list.substring(s, e)); // RFC 9110 §5.6.1: empty list elements are ignored
        }
        return out;
    }
}
