package dev.porter.http.internal.files;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The order of a listing, chosen with links ({@code ?sort=size&order=desc}) so that sorting needs no script and the
 * page's CSP stays strict. Folders always come first (as in every file manager); within each group the key decides,
 * ties broken by natural name order and then the exact name, so the order is total and stable.
 *
 * @param key        what to sort by
 * @param descending largest, newest or Z first
 */
public record ListingSort(Key key, boolean descending) {

    /** What a listing can be sorted by. */
    public enum Key {
        NAME("name"), SIZE("size"), DATE("date");

        final String param;

        Key(String param) {
            this.param = param;
        }
    }

    /** Name, A to Z: the default. */
    public static final ListingSort DEFAULT = new ListingSort(Key.NAME, false);

    /**
     * @param sort  the {@code sort} query parameter ({@code name}, {@code size}, {@code date}) or null
     * @param order the {@code order} query parameter ({@code asc}, {@code desc}) or null
     * @return the order asked for; unknown values fall back to the default (a listing never fails on its query)
     */
    public static ListingSort of(String sort, String order) {
        Key key = Key.NAME;
        if (sort != null) {
            for (Key k : Key.values()) {
                if (k.param.equals(sort)) key = k;
            }
        }
        return new ListingSort(key, "desc".equals(order));
    }

    /** @return the query that shows this order ({@code ?sort=size&order=desc}); empty for the default */
    public String query() {
        if (equals(DEFAULT)) return "";
        return "?sort=" + key.param + (descending ? "&order=desc" : "");
    }

    /** @return the order a click on {@code column}'s header asks for: flips the direction if it is this one's key */
    public ListingSort toggled(Key column) {
        if (column == key) return new ListingSort(key, !descending);
        // Sizes and dates are most often wanted largest and newest first.
        return new ListingSort(column, column != Key.NAME);
    }

    /** @return the entries in this order (a new list) */
    public List<DirectoryListing.Entry> sort(List<DirectoryListing.Entry> entries) {
        Comparator<DirectoryListing.Entry> byKey = switch (key) {
            case NAME -> (a, b) -> NaturalOrder.compare(a.name(), b.name());
            case SIZE -> Comparator.comparingLong(DirectoryListing.Entry::size);
            case DATE -> Comparator.comparingLong(DirectoryListing.Entry::modifiedMillis);
        };
        if (descending) byKey = byKey.reversed();
        Comparator<DirectoryListing.Entry> order = Comparator.comparing((DirectoryListing.Entry e) -> !e.directory())
                .thenComparing(byKey)
                .thenComparing((a, b) -> NaturalOrder.compare(a.name(), b.name()))
                .thenComparing(DirectoryListing.Entry::name);
        List<DirectoryListing.Entry> sorted = new ArrayList<>(entries);
        sorted.sort(order);
        return sorted;
    }
}
