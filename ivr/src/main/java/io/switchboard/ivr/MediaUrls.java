package io.switchboard.ivr;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;

import org.jspecify.annotations.Nullable;

/**
 * Which prompt URLs may be sent to a platform: https only, and never aimed at an internal
 * address. With an allow-list, the host must be one of its entries or below one
 * ({@code media.example.com} allows {@code eu.media.example.com}); without one, any host name
 * is allowed but {@code localhost}, names ending {@code .local} or {@code .internal}, and IP
 * addresses that are loopback, private, link-local or unique-local.
 */
public final class MediaUrls {

    private final List<String> allowedHosts;

    /** Creates a check with {@code allowedHosts} (empty: any public host). */
    public MediaUrls(List<String> allowedHosts) {
        this.allowedHosts = allowedHosts.stream().map(h -> h.toLowerCase(Locale.ROOT)).toList();
    }

    /** Returns why {@code url} may not be used, or null if it may. */
    public @Nullable String problem(String url) {
        final URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            return "not a URL";
        }
        if (!"https".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null) {
            return "an https URL is required";
        }
        if (uri.getUserInfo() != null) {
            return "credentials in a media URL are not allowed";
        }
        final String host = uri.getHost().toLowerCase(Locale.ROOT);
        if (!allowedHosts.isEmpty()) {
            for (String allowed : allowedHosts) {
                if (host.equals(allowed) || host.endsWith('.' + allowed)) {
                    return null;
                }
            }
            return "host " + host + " is not in the allowed media hosts " + allowedHosts;
        }
        if (host.equals("localhost") || host.endsWith(".localhost") || host.endsWith(".local")
            || host.endsWith(".internal")) {
            return "host " + host + " is internal";
        }
        if (isIpLiteral(host)) {
            try {
                final InetAddress address = InetAddress.getByName(host.replace("[", "").replace("]", ""));
                if (address.isLoopbackAddress() || address.isSiteLocalAddress() || address.isLinkLocalAddress()
                    || address.isAnyLocalAddress() || (address.getAddress().length == 16
                                                       && (address.getAddress()[0] & 0xfe) == 0xfc)) {
                    return "address " + host + " is internal";
                }
            } catch (UnknownHostException e) {
                return "address " + host + " cannot be read";
            }
        }
        return null;
    }

    private static boolean isIpLiteral(String host) {
        return host.startsWith("[") || host.matches("[0-9.]+");
    }
}
