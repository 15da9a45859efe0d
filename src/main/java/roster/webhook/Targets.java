package roster.webhook;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.SystemDefaultDnsResolver;

/**
 * Where a webhook may be sent. A subscription names any URL, so without this rule it would let an admin-token
 * holder (or a leaked token) make the server call its own network: loopback, private ranges, link-local (cloud
 * metadata at 169.254.169.254), carrier-grade NAT and IPv6 unique-local addresses are refused unless
 * ROSTER_WEBHOOK_ALLOW_PRIVATE=1. Checked when a subscription is written (to answer at once), and when a delivery
 * connects, by the HTTP client's resolver ({@link CheckedDns}): the addresses checked are those connected to, so
 * a name that resolves to a public address once and to 127.0.0.1 the next time (DNS rebinding) gets nowhere.
 */
final class Targets {

    private Targets() {}

    /** Why the URL may not be called, or null when it may. */
    static String refusal(String url, boolean allowPrivate) {
        URI uri = URI.create(url);
        if (allowPrivate || uri.getHost() == null) return null; // no host: the writer's validation refuses it
        try {
            for (InetAddress address : InetAddress.getAllByName(uri.getHost())) {
                if (isPrivate(address)) return "resolves to a loopback or private address (" + address.getHostAddress()
                        + "); set ROSTER_WEBHOOK_ALLOW_PRIVATE=1 to allow it";
            }
            return null;
        } catch (UnknownHostException e) {
            return "its host cannot be resolved";
        }
    }

    /** A name that resolves to an address the rule refuses. */
    static final class Refused extends UnknownHostException {
        Refused(String message) {
            super(message);
        }
    }

    /** The HTTP client's resolver: resolves once, and refuses the connection when any address is private (unless allowed). */
    static final class CheckedDns implements DnsResolver {
        private final boolean allowPrivate;

        CheckedDns(boolean allowPrivate) {
            this.allowPrivate = allowPrivate;
        }

        @Override
        public InetAddress[] resolve(String host) throws UnknownHostException {
            InetAddress[] addresses = SystemDefaultDnsResolver.INSTANCE.resolve(host);
            if (!allowPrivate) {
                for (InetAddress address : addresses) {
                    if (isPrivate(address)) throw new Refused("resolves to a loopback or private address (" + address.getHostAddress()
                            + "); set ROSTER_WEBHOOK_ALLOW_PRIVATE=1 to allow it");
                }
            }
            return addresses;
        }

        @Override
        public String resolveCanonicalHostname(String host) throws UnknownHostException {
            return SystemDefaultDnsResolver.INSTANCE.resolveCanonicalHostname(host);
        }
    }

    static boolean isPrivate(InetAddress a) {
        if (a.isLoopbackAddress() || a.isAnyLocalAddress() || a.isSiteLocalAddress() || a.isLinkLocalAddress() || a.isMulticastAddress()) {
            return true;
        }
        byte[] b = a.getAddress();
        if (a instanceof Inet4Address) {
            int first = b[0] & 0xff, second = b[1] & 0xff;
            return first == 0 || (first == 100 && second >= 64 && second < 128) || first >= 240; // this network, CGNAT, reserved
        }
        if (a instanceof Inet6Address) {
            if ((b[0] & 0xfe) == 0xfc) return true; // unique local fc00::/7
            boolean mapped = true; // ::ffff:a.b.c.d: judge the IPv4 address inside
            for (int i = 0; i < 10; i++) mapped &= b[i] == 0;
            if (mapped && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff) {
                try {
                    return isPrivate(InetAddress.getByAddress(java.util.Arrays.copyOfRange(b, 12, 16)));
                } catch (UnknownHostException e) {
                    return true;
                }
            }
        }
        return false;
    }
}
