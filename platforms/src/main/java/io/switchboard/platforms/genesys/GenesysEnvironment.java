package io.switchboard.platforms.genesys;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.util.Locale;
import java.util.Map;

/**
 * Where a Genesys Cloud organisation lives: its API base ({@code https://api.<domain>}) and
 * login base ({@code https://login.<domain>}). Built from a region name
 * ({@code us_east_1}), a bare domain ({@code mypurecloud.ie}) or a full base URL, which then
 * serves both (a sandbox).
 *
 * @param apiBase where {@code /api/v2/...} lives
 * @param loginBase where {@code /oauth/token} lives
 */
public record GenesysEnvironment(URI apiBase, URI loginBase) {

    private static final Map<String, String> DOMAINS = Map.ofEntries(
            Map.entry("us_east_1", "mypurecloud.com"),
            Map.entry("us_east_2", "use2.us-gov-pure.cloud"),
            Map.entry("us_west_2", "usw2.pure.cloud"),
            Map.entry("ca_central_1", "cac1.pure.cloud"),
            Map.entry("sa_east_1", "sae1.pure.cloud"),
            Map.entry("mx_central_1", "mxc1.pure.cloud"),
            Map.entry("eu_west_1", "mypurecloud.ie"),
            Map.entry("eu_west_2", "euw2.pure.cloud"),
            Map.entry("eu_central_1", "mypurecloud.de"),
            Map.entry("eu_central_2", "euc2.pure.cloud"),
            Map.entry("me_central_1", "mec1.pure.cloud"),
            Map.entry("ap_south_1", "aps1.pure.cloud"),
            Map.entry("ap_northeast_1", "mypurecloud.jp"),
            Map.entry("ap_northeast_2", "apne2.pure.cloud"),
            Map.entry("ap_northeast_3", "apne3.pure.cloud"),
            Map.entry("ap_southeast_1", "apse1.pure.cloud"),
            Map.entry("ap_southeast_2", "mypurecloud.com.au"));

    /** Checks the components. */
    public GenesysEnvironment {
        requireNonNull(apiBase, "apiBase");
        requireNonNull(loginBase, "loginBase");
    }

    /**
     * Resolves a region name, a domain or a base URL.
     *
     * @throws IllegalArgumentException naming the accepted forms
     */
    public static GenesysEnvironment of(String regionDomainOrUrl) {
        requireNonNull(regionDomainOrUrl, "regionDomainOrUrl");
        final String value = regionDomainOrUrl.trim();
        if (value.startsWith("http://") || value.startsWith("https://")) {
            final URI base = URI.create(value.endsWith("/") ? value.substring(0, value.length() - 1) : value);
            if (base.getHost() == null) {
                throw new IllegalArgumentException("genesys region: \"" + value + "\" (expected: a region such as "
                                                   + "us_east_1, a domain such as mypurecloud.ie, or a base URL)");
            }
            return new GenesysEnvironment(base, base);
        }
        final String domain = DOMAINS.getOrDefault(value.toLowerCase(Locale.ROOT).replace('-', '_'), value);
        if (!domain.matches("[A-Za-z0-9.-]+\\.[A-Za-z]{2,}")) {
            throw new IllegalArgumentException("genesys region: \"" + value + "\" (expected: a region such as "
                                               + "us_east_1, a domain such as mypurecloud.ie, or a base URL)");
        }
        return new GenesysEnvironment(URI.create("https://api." + domain), URI.create("https://login." + domain));
    }

    /** Returns the token endpoint, {@code <login>/oauth/token}. */
    public URI tokenUri() {
        return URI.create(loginBase + "/oauth/token");
    }
}
