package io.switchboard.compliance.dnc;

import static java.util.Objects.requireNonNull;

import java.util.Locale;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

import io.switchboard.core.InvalidArgumentException;

/**
 * One DNC list: a scope ({@code global}, {@code campaign:<id>} or {@code brand:<name>}) and a
 * kind. The global internal list is the seed's ({@code dnc:blacklist} on Redis, {@code dnc/} in
 * the data directory); every other list sits beside it.
 *
 * @param scope whose calls it blocks
 * @param kind what it holds, and what may override it
 */
public record DncList(String scope, Kind kind) implements Comparable<DncList> {

    /** What a scope may be, for messages. */
    public static final String SCOPE_EXPECTED = "global, campaign:<id> or brand:<name> (ids and names: 1-128 letters, "
                                                + "digits, '.', '_' or '-')";

    private static final Pattern SCOPE = Pattern.compile("global|(campaign|brand):[A-Za-z0-9._-]{1,128}");

    /** The seed's list. */
    public static final DncList GLOBAL = new DncList("global", Kind.INTERNAL);

    /** What a list holds. */
    public enum Kind {
        /** The company's own DNC entries: nothing overrides them. */
        INTERNAL,
        /** A national or state registry's copy: consent or an established business relationship may override it. */
        REGISTRY,
        /** Opt-outs captured on calls: nothing overrides them, and only their own API removes them. */
        OPT_OUT;

        /** Returns the name on the wire: {@code internal}, {@code registry}, {@code opt_out}. */
        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** Returns the kind named {@code wire}, or null. */
        public static @Nullable Kind of(String wire) {
            for (Kind k : values()) {
                if (k.wire().equals(wire)) {
                    return k;
                }
            }
            return null;
        }
    }

    /** Checks the scope. */
    public DncList {
        requireNonNull(kind, "kind");
        if (!SCOPE.matcher(requireNonNull(scope, "scope")).matches()) {
            throw new IllegalArgumentException("scope: \"" + scope + "\" (expected: " + SCOPE_EXPECTED + ')');
        }
    }

    /**
     * Returns the scope request field {@code field} gives, {@code global} when absent.
     *
     * @throws InvalidArgumentException naming the field
     */
    public static String scope(String field, @Nullable String value) {
        if (value == null || value.isEmpty()) {
            return "global";
        }
        if (!SCOPE.matcher(value).matches()) {
            throw new InvalidArgumentException(field, value, SCOPE_EXPECTED);
        }
        return value;
    }

    /**
     * Returns the list that request fields {@code scope} and {@code kind} name (default: global,
     * internal) for the admin API and imports: a brand must be one of {@code brands}, and
     * opt-outs have their own API.
     *
     * @throws InvalidArgumentException naming the field
     */
    public static DncList named(@Nullable String scope, @Nullable String kind, java.util.Set<String> brands) {
        final String s = scope("scope", scope);
        if (s.startsWith("brand:") && !brands.contains(s.substring("brand:".length()))) {
            throw new InvalidArgumentException("scope", s, "a brand of compliance.brands"
                                                           + (brands.isEmpty() ? " (none is configured)"
                                                                               : ", one of " + new java.util.TreeSet<>(brands)));
        }
        final Kind k = kind == null || kind.isEmpty() ? Kind.INTERNAL : Kind.of(kind);
        if (k == null || k == Kind.OPT_OUT) {
            throw new InvalidArgumentException("kind", kind, k == null ? "internal or registry"
                                                                       : "internal or registry: opt-outs are recorded "
                                                                         + "and removed through /v1/dnc/opt-outs");
        }
        return new DncList(s, k);
    }

    /** Returns the scope of campaign {@code id}. */
    public static String campaign(String id) {
        return "campaign:" + id;
    }

    /** Returns the scope of brand {@code name}. */
    public static String brand(String name) {
        return "brand:" + name;
    }

    /** Returns whether this is the seed's list. */
    public boolean global() {
        return equals(GLOBAL);
    }

    /** Returns the reason a number on this list is blocked with: {@code dnc_blacklist}, {@code dnc_campaign}, {@code dnc_brand}. */
    public String reason() {
        return scope.equals("global") ? "dnc_blacklist" : scope.startsWith("campaign:") ? "dnc_campaign" : "dnc_brand";
    }

    /** Returns the list's name, {@code <scope>/<kind>}, e.g. {@code campaign:c1/opt_out}. */
    public String name() {
        return scope + '/' + kind.wire();
    }

    /** Returns the list named {@code name} ({@code <scope>/<kind>}), or null. */
    public static @Nullable DncList parse(String name) {
        final int slash = name.lastIndexOf('/');
        if (slash < 0) {
            return null;
        }
        final Kind kind = Kind.of(name.substring(slash + 1));
        final String scope = name.substring(0, slash);
        return kind == null || !SCOPE.matcher(scope).matches() ? null : new DncList(scope, kind);
    }

    /** Orders global lists first, then campaigns', then brands' (the most specific reason first), then by name. */
    @Override
    public int compareTo(DncList o) {
        final int byScope = Integer.compare(rank(), o.rank());
        return byScope != 0 ? byScope : name().compareTo(o.name());
    }

    private int rank() {
        return scope.equals("global") ? 0 : scope.startsWith("campaign:") ? 1 : 2;
    }

    @Override
    public String toString() {
        return name();
    }
}
