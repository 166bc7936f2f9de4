package io.switchboard.ivr;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * Which prompt URLs may be sent to a platform: https only, and never aimed at an internal
 * address. The host is read as a resolver would read it before any check: lower case, without
 * trailing dots, and an IPv4 address in any of the forms {@code inet_aton} accepts (decimal,
 * octal {@code 0177.0.0.1}, hexadecimal {@code 0x7f000001}, fewer than four parts
 * {@code 127.1}). With an allow-list, the host must be one of its entries or below one
 * ({@code media.example.com} allows {@code eu.media.example.com}); without one, any host name
 * is allowed but {@code localhost}, names ending {@code .localhost}, {@code .local},
 * {@code .internal} or {@code .home.arpa}, and IP addresses in loopback, private, shared
 * (100.64/10), link-local, unique-local, documentation, benchmarking, multicast or reserved
 * ranges. Host names are not resolved here: the platform resolves them from its own network,
 * so an allow-list is the way to pin prompts to known hosts.
 */
public final class MediaUrls {

    /** A host that a resolver would read as an IPv4 address, or try to: digits, dots, x and hex digits only. */
    private static final Pattern NUMERIC_HOST = Pattern.compile("[0-9a-fx.]+");

    private final List<String> allowedHosts;

    /** Creates a check with {@code allowedHosts} (empty: any public host). */
    public MediaUrls(List<String> allowedHosts) {
        this.allowedHosts = allowedHosts.stream().map(MediaUrls::canonical).toList();
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
        final String host = canonical(uri.getHost());
        if (host.isEmpty()) {
            return "an https URL is required";
        }
        if (!allowedHosts.isEmpty()) {
            for (String allowed : allowedHosts) {
                if (host.equals(allowed) || host.endsWith('.' + allowed)) {
                    return null;
                }
            }
            return "host " + host + " is not in the allowed media hosts " + allowedHosts;
        }
        if (host.equals("localhost") || host.endsWith(".localhost") || host.endsWith(".local")
            || host.endsWith(".internal") || host.endsWith(".home.arpa")) {
            return "host " + host + " is internal";
        }
        if (host.startsWith("[")) {
            return ipv6Problem(host);
        }
        if (NUMERIC_HOST.matcher(host).matches() && lastLabelIsNumeric(host)) {
            final long v4 = ipv4(host);
            if (v4 < 0) {
                return "address " + host + " cannot be read";
            }
            final String dotted = dotted(v4);
            return internalIpv4(v4) ? "address " + host + (host.equals(dotted) ? "" : " (" + dotted + ')')
                                      + " is internal or reserved" : null;
        }
        return null;
    }

    /** Lower case, trailing dots removed: {@code LOCALHOST.} is {@code localhost}. */
    private static String canonical(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        while (h.endsWith(".")) {
            h = h.substring(0, h.length() - 1);
        }
        return h;
    }

    /** A name whose last label starts with a digit is read as a number by resolvers (RFC 1123 2.1, WHATWG URL). */
    private static boolean lastLabelIsNumeric(String host) {
        final String last = host.substring(host.lastIndexOf('.') + 1);
        return !last.isEmpty() && Character.isDigit(last.charAt(0));
    }

    /**
     * Reads {@code host} as {@code inet_aton} does: one to four parts, each decimal, octal
     * (leading 0) or hexadecimal ({@code 0x}), the last filling the remaining bytes. Returns
     * the address as an unsigned 32-bit value, or -1 if it is not one.
     */
    static long ipv4(String host) {
        final String[] parts = host.split("\\.", -1);
        if (parts.length > 4) {
            return -1;
        }
        long address = 0;
        for (int i = 0; i < parts.length; i++) {
            final long part = number(parts[i]);
            final boolean last = i == parts.length - 1;
            final long max = last ? (1L << (8 * (4 - i))) - 1 : 255;
            if (part < 0 || part > max) {
                return -1;
            }
            address = last ? address << (8 * (4 - i)) | part : address << 8 | part;
        }
        return address;
    }

    private static long number(String part) {
        try {
            if (part.startsWith("0x")) {
                return part.length() == 2 ? 0 : Long.parseLong(part.substring(2), 16);
            }
            if (part.length() > 1 && part.startsWith("0")) {
                return Long.parseLong(part.substring(1), 8);
            }
            return part.isEmpty() || part.length() > 10 ? -1 : Long.parseLong(part);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Returns whether {@code a} is in a range a prompt must never come from. */
    private static boolean internalIpv4(long a) {
        return in(a, 0x00000000L, 8)          // "this network"
               || in(a, 0x0A000000L, 8)       // private
               || in(a, 0x64400000L, 10)      // shared address space (carrier-grade NAT)
               || in(a, 0x7F000000L, 8)       // loopback
               || in(a, 0xA9FE0000L, 16)      // link-local, cloud metadata
               || in(a, 0xAC100000L, 12)      // private
               || in(a, 0xC0000000L, 24)      // IETF protocol assignments
               || in(a, 0xC0000200L, 24)      // documentation (TEST-NET-1)
               || in(a, 0xC0A80000L, 16)      // private
               || in(a, 0xC6120000L, 15)      // benchmarking
               || in(a, 0xC6336400L, 24)      // documentation (TEST-NET-2)
               || in(a, 0xCB007100L, 24)      // documentation (TEST-NET-3)
               || in(a, 0xE0000000L, 4)       // multicast
               || in(a, 0xF0000000L, 4);      // reserved, and broadcast
    }

    private static boolean in(long address, long network, int prefix) {
        final long mask = (0xFFFFFFFFL << (32 - prefix)) & 0xFFFFFFFFL;
        return (address & mask) == network;
    }

    private static @Nullable String ipv6Problem(String host) {
        final byte[] b;
        try {
            // A literal in brackets: parsed, never looked up.
            b = InetAddress.getByName(host.substring(1, host.length() - 1)).getAddress();
        } catch (UnknownHostException | StringIndexOutOfBoundsException e) {
            return "address " + host + " cannot be read";
        }
        if (b.length == 4) { // ::ffff:a.b.c.d, read as IPv4 by the JDK
            final long v4 = (b[0] & 0xffL) << 24 | (b[1] & 0xffL) << 16 | (b[2] & 0xffL) << 8 | (b[3] & 0xffL);
            return internalIpv4(v4) ? "address " + host + " is internal or reserved" : null;
        }
        boolean zeroPrefix = true;
        for (int i = 0; i < 12; i++) {
            zeroPrefix &= b[i] == 0;
        }
        final boolean nat64 = (b[0] & 0xff) == 0x00 && (b[1] & 0xff) == 0x64 && (b[2] & 0xff) == 0xff
                              && (b[3] & 0xff) == 0x9b;
        if (zeroPrefix || nat64) { // ::, ::1, IPv4-compatible, and 64:ff9b::/96 carry an IPv4 address
            final long v4 = (b[12] & 0xffL) << 24 | (b[13] & 0xffL) << 16 | (b[14] & 0xffL) << 8 | (b[15] & 0xffL);
            if (zeroPrefix || internalIpv4(v4)) {
                return "address " + host + " is internal or reserved";
            }
        }
        final int first = b[0] & 0xff;
        final int second = b[1] & 0xff;
        if ((first & 0xfe) == 0xfc                       // unique local fc00::/7
            || first == 0xfe && (second & 0xc0) == 0x80  // link-local fe80::/10
            || first == 0xfe && (second & 0xc0) == 0xc0  // site-local fec0::/10 (deprecated)
            || first == 0xff                             // multicast
            || first == 0x20 && second == 0x01 && (b[2] & 0xff) == 0x0d && (b[3] & 0xff) == 0xb8) { // 2001:db8::/32
            return "address " + host + " is internal or reserved";
        }
        return null;
    }

    private static String dotted(long a) {
        return (a >>> 24) + "." + (a >>> 16 & 0xff) + '.' + (a >>> 8 & 0xff) + '.' + (a & 0xff);
    }
}
