package dev.porter.http.internal.files;

/**
 * Compares names the way people sort them: case-insensitively, with runs of digits compared by value, so
 * {@code img2.png} comes before {@code img10.png}. Not a total order on its own (equal for names differing only in
 * case or leading zeros); callers break ties. Stateless.
 */
final class NaturalOrder {

    private NaturalOrder() {
    }

    static int compare(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            char ca = a.charAt(i);
            char cb = b.charAt(j);
            if (isDigit(ca) && isDigit(cb)) {
                int ea = digitsEnd(a, i);
                int eb = digitsEnd(b, j);
                int c = compareNumbers(a, i, ea, b, j, eb);
                if (c != 0) return c;
                i = ea;
                j = eb;
                continue;
            }
            int c = Character.compare(Character.toLowerCase(Character.toUpperCase(ca)),
                    Character.toLowerCase(Character.toUpperCase(cb)));
            if (c != 0) return c;
            i++;
            j++;
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static int digitsEnd(String s, int i) {
        while (i < s.length() && isDigit(s.charAt(i))) i++;
        return i;
    }

    /** Compares two digit runs by value without parsing (they may be longer than a long). */
    private static int compareNumbers(String a, int ia, int ea, String b, int ib, int eb) {
        while (ia < ea - 1 && a.charAt(ia) == '0') ia++;
        while (ib < eb - 1 && b.charAt(ib) == '0') ib++;
        int c = Integer.compare(ea - ia, eb - ib);
        if (c != 0) return c;
        for (; ia < ea; ia++, ib++) {
            c = Character.compare(a.charAt(ia), b.charAt(ib));
            if (c != 0) return c;
        }
        return 0;
    }
}
