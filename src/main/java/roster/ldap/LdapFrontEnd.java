package roster.ldap;

import com.unboundid.ldap.listener.LDAPListener;
import com.unboundid.ldap.listener.LDAPListenerClientConnection;
import com.unboundid.ldap.listener.LDAPListenerConfig;
import com.unboundid.ldap.listener.LDAPListenerExceptionHandler;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.ResultCode;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import roster.config.ConfigError;
import roster.core.FrontEnd;
import roster.core.Services;
import roster.http.Tls;
import roster.query.Cursors;

/**
 * LDAP v3, read-only, on ROSTER_LDAP_PORT: the UnboundID SDK's listener reads and writes the protocol (BER, message
 * framing, one thread per connection); {@link LdapSession} answers each request from the core. Applications bind as
 * an app with scope ldap or check a user's password by binding as the user.
 */
public final class LdapFrontEnd implements FrontEnd.Started {

    private static final Logger log = LoggerFactory.getLogger(LdapFrontEnd.class);

    public static final String SCOPE = "ldap";
    public static final FrontEnd FRONT_END = new FrontEnd("ldap", Set.of(SCOPE), null, LdapFrontEnd::start);

    /** Larger requests are cut off: a filter of 256 KiB is already far past any real one. */
    static final int MAX_MESSAGE_BYTES = 256 * 1024;
    static final int MAX_CONNECTIONS = 1024;
    static final int MAX_CONNECTIONS_PER_ADDRESS = 64;
    /** No search runs longer than this, whatever time limit the client asks for (0: none). */
    static final int MAX_SEARCH_SECONDS = 60;

    private final Services services;
    private final Binds binds;
    private final Searches searches;
    private final LDAPListener listener;
    /** LDAPS on ROSTER_LDAPS_PORT, when set. */
    private final LDAPListener ldaps;
    /** StartTLS and LDAPS, when a certificate is configured (null without one). */
    private final Tls tls;
    private final TlsSockets tlsSockets;
    private final int idleMillis;
    /**
     * Where searches run, off their connections' threads (see LdapSession): at most one per connection at a time,
     * so the listeners' connection limit bounds it.
     */
    private final java.util.concurrent.ExecutorService searchThreads = java.util.concurrent.Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "roster-ldap-search");
        t.setDaemon(true);
        return t;
    });
    private final String host;
    private final ConcurrentHashMap<InetAddress, AtomicInteger> perAddress = new ConcurrentHashMap<>();

    private LdapFrontEnd(Services services, String host, int port) {
        this.services = services;
        this.binds = new Binds(services);
        this.searches = new Searches(services);
        this.host = host;
        var settings = services.settings();
        this.idleMillis = (int) Math.min(Integer.MAX_VALUE, settings.ldapIdleTimeout().toMillis());
        this.tls = settings.tls() ? new Tls(settings.tlsCert(), settings.tlsKey()) : null;
        this.tlsSockets = tls == null ? null : new TlsSockets(tls);
        try {
            this.listener = listen("ROSTER_LDAP_PORT", port, null);
            this.ldaps = settings.ldapsPort() == null ? null : listen("ROSTER_LDAPS_PORT", settings.ldapsPort(), tlsSockets.ldaps());
        } catch (ConfigError e) {
            close();
            throw e;
        }
    }

    /** One listener: plain LDAP (with StartTLS when a certificate is configured), or LDAPS through sockets. */
    private LDAPListener listen(String setting, int port, javax.net.ServerSocketFactory sockets) {
        LDAPListenerConfig config = new LDAPListenerConfig(port, new LdapSession(this));
        try {
            config.setListenAddress(InetAddress.getByName(host));
        } catch (UnknownHostException e) {
            throw new ConfigError("ROSTER_HOST", "'" + host + "' is not an address of this machine: use 127.0.0.1, 0.0.0.0 or one of its addresses");
        }
        config.setMaxConnections(MAX_CONNECTIONS);
        config.setMaxMessageSizeBytes(MAX_MESSAGE_BYTES);
        config.setExceptionHandler(new QuietExceptions());
        if (sockets != null) config.setServerSocketFactory(sockets);
        LDAPListener l = new LDAPListener(config);
        try {
            l.startListening();
        } catch (IOException e) {
            throw new ConfigError(setting, "cannot listen for LDAP on " + host + ":" + port + " (" + e.getMessage()
                    + "): set " + setting + " to a free port, 0 for any free one, or off; or another ROSTER_HOST");
        }
        return l;
    }

    /** Starts the listener, or nothing when ROSTER_LDAP_PORT is off. */
    static FrontEnd.Started start(Services services) {
        Integer port = services.settings().ldapPort();
        if (port == null) return new FrontEnd.Started() {};
        return new LdapFrontEnd(services, services.settings().host(), port);
    }

    public int port() {
        return listener.getListenPort();
    }

    /** The LDAPS port, or -1 when ROSTER_LDAPS_PORT is off. */
    public int ldapsPort() {
        return ldaps == null ? -1 : ldaps.getListenPort();
    }

    @Override
    public Optional<String> listening() {
        String line = "Roster LDAP listening on ldap://" + host + ":" + port();
        if (ldaps != null) line += System.lineSeparator() + "Roster LDAPS listening on ldaps://" + host + ":" + ldapsPort();
        return Optional.of(line);
    }

    @Override
    public void close() {
        if (listener != null) listener.shutDown(true);
        if (ldaps != null) ldaps.shutDown(true);
        if (tls != null) tls.close();
        searchThreads.shutdownNow();
    }

    // ---- what sessions share

    Services services() {
        return services;
    }

    Binds binds() {
        return binds;
    }

    Searches searches() {
        return searches;
    }

    java.util.concurrent.Executor searchThreads() {
        return searchThreads;
    }

    /** The sockets StartTLS switches to, or null when no certificate is configured. */
    TlsSockets tls() {
        return tlsSockets;
    }

    Cursors cursors() {
        return services.cursors();
    }

    long timeLimitNanos(int askedSeconds) {
        int seconds = askedSeconds > 0 ? Math.min(askedSeconds, MAX_SEARCH_SECONDS) : MAX_SEARCH_SECONDS;
        return TimeUnit.SECONDS.toNanos(seconds);
    }

    /** Counts a new connection against its address's limit; past it, the connection is closed at once. */
    void admit(LDAPListenerClientConnection connection) throws LDAPException {
        try {
            connection.getSocket().setSoTimeout(idleMillis); // idle: no request for this long closes the connection
        } catch (java.net.SocketException e) {
            throw new LDAPException(ResultCode.CONNECT_ERROR, "the connection is gone");
        }
        AtomicInteger count = perAddress.computeIfAbsent(connection.getSocket().getInetAddress(), a -> new AtomicInteger());
        if (count.incrementAndGet() > MAX_CONNECTIONS_PER_ADDRESS) {
            count.decrementAndGet();
            throw new LDAPException(ResultCode.BUSY, "too many connections from this address");
        }
    }

    void release(LDAPListenerClientConnection connection) {
        AtomicInteger count = perAddress.get(connection.getSocket().getInetAddress());
        if (count != null) count.decrementAndGet();
    }

    static String version() {
        String v = LdapFrontEnd.class.getPackage().getImplementationVersion();
        return v == null ? "development" : v;
    }

    /** A client that sends junk or goes away is its own business: logged at debug, never a stack trace at error. */
    private static final class QuietExceptions implements LDAPListenerExceptionHandler {
        @Override
        public void connectionCreationFailure(java.net.Socket socket, Throwable cause) {
            log.debug("LDAP connection refused: {}", cause.toString());
        }

        @Override
        public void connectionTerminated(LDAPListenerClientConnection connection, LDAPException cause) {
            log.debug("LDAP connection {} ended: {}", connection.getConnectionID(), cause.getResultCode());
        }
    }
}
