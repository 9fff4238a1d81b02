package dev.porter.http.internal.multipart;

import java.util.ArrayList;
import java.util.List;

/**
 * A header value of the form {@code value *( ";" name "=" ( token / quoted-string ) )} (RFC 9110 §5.6.6), as
 * Content-Type and Content-Disposition are: the leading value and the parameters, names compared
 * case-insensitively, quoted strings unescaped (§5.6.4). Read by hand, left to right, no regex.
 *
 * @param value  the leading value, trimmed
 * @param params names and values in order of appearance
 */
public record HeaderParams(String value, List<String[]> params) {

    /** @return the first value of parameter {@code name} (case-insensitive), or null */
    public String get(String name) {
        for (String[] p : params) {
            if (p[0].equalsIgnoreCase(name)) return p[1];
        }
        return null;
    }

    /** @return the parsed value, or null when it is malformed (an unterminated quote, a parameter without "=") */
    public static HeaderParams parse(String s) {
        int n = s.length();
        int semi = s.indexOf(';');
        String value = (semi < 0 ? s : s.substring(0, semi)).strip();
        List<String[]> params = new ArrayList<>(4);
        int i = semi < 0 ? n : semi + 1;
        while (i < n) {
            while (i < n && (s.charAt(i) == ' ' || s.charAt(i) == '\t' || s.charAt(i) == ';')) i++;
            if (i == n) break;
            int eq = i;
            while (eq < n && s.charAt(eq) != '=' && s.charAt(eq) != ';') eq++;
            if (eq == n || s.charAt(eq) != '=') return null;
            String name = s.substring(i, eq).strip();
            if (name.isEmpty()) return null;
            i = eq + 1;
            while (i < n && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) i++;
            StringBuilder v = new StringBuilder();
            if (i < n && s.charAt(i) == '"') {
                i++;
                boolean closed = false;
                while (i < n) {
                    char c = s.charAt(i++);
                    if (c == '\\' && i < n) {
                        v.append(s.charAt(i++));
                    } else if (c == '"') {
                        closed = true;
                        break;
                    } else {
                        v.append(c);
                    }
                }
                if (!closed) return null;
                while (i < n && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) i++;
                if (i < n && s.charAt(i) != ';') return null;
            } else {
                int start = i;
                while (i < n && s.charAt(i) != ';') i++;
                v.append(s, start, i);
                String t = v.toString().strip();
                v.setLength(0);
                v.append(t);
            }
            params.add(new String[] {name, v.toString()});
        }
        return new HeaderParams(value, params);
    }
}
