package roster.ldap;

import com.unboundid.asn1.ASN1Buffer;
import com.unboundid.asn1.ASN1OctetString;
import com.unboundid.ldap.listener.LDAPListenerClientConnection;
import com.unboundid.ldap.listener.LDAPListenerRequestHandler;
import com.unboundid.ldap.protocol.AbandonRequestProtocolOp;
import com.unboundid.ldap.protocol.AddRequestProtocolOp;
import com.unboundid.ldap.protocol.AddResponseProtocolOp;
import com.unboundid.ldap.protocol.BindRequestProtocolOp;
import com.unboundid.ldap.protocol.BindResponseProtocolOp;
import com.unboundid.ldap.protocol.CompareRequestProtocolOp;
import com.unboundid.ldap.protocol.CompareResponseProtocolOp;
import com.unboundid.ldap.protocol.DeleteRequestProtocolOp;
import com.unboundid.ldap.protocol.DeleteResponseProtocolOp;
import com.unboundid.ldap.protocol.ExtendedRequestProtocolOp;
import com.unboundid.ldap.protocol.ExtendedResponseProtocolOp;
import com.unboundid.ldap.protocol.LDAPMessage;
import com.unboundid.ldap.protocol.ModifyDNRequestProtocolOp;
import com.unboundid.ldap.protocol.ModifyDNResponseProtocolOp;
import com.unboundid.ldap.protocol.ModifyRequestProtocolOp;
import com.unboundid.ldap.protocol.ModifyResponseProtocolOp;
import com.unboundid.ldap.protocol.SearchRequestProtocolOp;
import com.unboundid.ldap.protocol.SearchResultDoneProtocolOp;
import com.unboundid.ldap.protocol.UnbindRequestProtocolOp;
import com.unboundid.ldap.sdk.Control;
import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.SearchScope;
import com.unboundid.ldap.sdk.controls.SimplePagedResultsControl;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import roster.model.Failure;
import roster.model.TenantApp;
import roster.model.UserFilter;

/**
 * One client connection: its bind state and its requests, answered in order on the connection's thread. Every
 * refusal is an LDAP result code; nothing a client sends ends the server. Writes are refused (read-only).
 */
final class LdapSession extends LDAPListenerRequestHandler {

    private static final Logger log = LoggerFactory.getLogger(LdapSession.class);
    private static final String READ_ONLY = "Roster's LDAP front end is read-only: write through the admin API";

    private final LdapFrontEnd server;
    private final LDAPListenerClientConnection connection;
    private volatile Caller caller = Caller.ANONYMOUS;
    /** The searches of this connection, run one after another off the connection's thread (see processSearchRequest). */
    private CompletableFuture<Void> searches = CompletableFuture.completedFuture(null);
    /** The abandon flag of each search not yet finished, by message id. */
    private final Map<Integer, AtomicBoolean> pending = new ConcurrentHashMap<>();
    private static final long RECHECK_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(1);
    /** When the bound app was last read (System.nanoTime); a bind reads it. */
    private long checkedAt;

    /** The listener's template instance; each connection gets its own through newInstance. */
    LdapSession(LdapFrontEnd server) {
        this(server, null);
    }

    private LdapSession(LdapFrontEnd server, LDAPListenerClientConnection connection) {
        this.server = server;
        this.connection = connection;
    }

    @Override
    public LDAPListenerRequestHandler newInstance(LDAPListenerClientConnection connection) throws LDAPException {
        server.admit(connection);
        return new LdapSession(server, connection);
    }

    @Override
    public void closeInstance() {
        pending.values().forEach(abandoned -> abandoned.set(true));
        if (connection != null) server.release(connection);
    }

    // ---- bind

    @Override
    public LDAPMessage processBindRequest(int id, BindRequestProtocolOp request, List<Control> controls) {
        awaitSearches();
        caller = Caller.ANONYMOUS; // a bind ends the previous identity, whatever its outcome
        try {
            refuseCriticalControls(controls, false);
            if (request.getVersion() != 3) throw new LdapRefusal(ResultCode.PROTOCOL_ERROR, "only LDAP version 3 is supported");
            if (request.getCredentialsType() != BindRequestProtocolOp.CRED_TYPE_SIMPLE) {
                throw new LdapRefusal(ResultCode.AUTH_METHOD_NOT_SUPPORTED, "only simple bind is supported");
            }
            String dn = request.getBindDN();
            String password = request.getSimplePassword() == null ? "" : request.getSimplePassword().stringValue();
            if (dn.isEmpty() && password.isEmpty()) return bindResult(id, ResultCode.SUCCESS, null); // anonymous
            if (dn.isEmpty()) throw new LdapRefusal(ResultCode.INVALID_CREDENTIALS, "invalid credentials");
            if (password.isEmpty()) throw new LdapRefusal(ResultCode.UNWILLING_TO_PERFORM, "unauthenticated bind (a DN without a password) is not allowed");
            caller = server.binds().bind(dn, password);
            checkedAt = System.nanoTime();
            return bindResult(id, ResultCode.SUCCESS, null);
        } catch (RuntimeException e) {
            Refusal r = refusal(e);
            return new LDAPMessage(id, new BindResponseProtocolOp(r.code.intValue(), r.matchedDn, r.message, null, null));
        }
    }

    private static LDAPMessage bindResult(int id, ResultCode code, String message) {
        return new LDAPMessage(id, new BindResponseProtocolOp(code.intValue(), null, message, null, null));
    }

    // ---- search

    /**
     * A search runs on a thread of its own, so that the connection's thread goes on reading and sees an abandon
     * (RFC 4511 4.11) or an unbind while entries are being sent: an abandoned search stops at its next entry and
     * gets no answer. The searches of one connection still run one at a time, in order, and any other request
     * waits for them, so each sees the bind state its position in the stream gives it.
     */
    @Override
    public LDAPMessage processSearchRequest(int id, SearchRequestProtocolOp request, List<Control> controls) {
        AtomicBoolean abandoned = new AtomicBoolean();
        pending.put(id, abandoned);
        searches = searches.thenRunAsync(() -> {
            try {
                LDAPMessage done = abandoned.get() ? null : search(id, request, controls, abandoned);
                if (done != null && !abandoned.get()) Answers.send(connection, done);
            } catch (Abandoned | LDAPException e) {
                // abandoned, or the connection is gone: nothing to answer
            } catch (RuntimeException | Error e) {
                log.error("LDAP search failed (connection {})", connection.getConnectionID(), e);
            } finally {
                pending.remove(id);
            }
        }, server.searchThreads());
        return null;
    }

    @Override
    public void processAbandonRequest(int id, AbandonRequestProtocolOp request, List<Control> controls) {
        AtomicBoolean abandoned = pending.get(request.getIDToAbandon());
        if (abandoned != null) abandoned.set(true);
    }

    @Override
    public void processUnbindRequest(int id, UnbindRequestProtocolOp request, List<Control> controls) {
        pending.values().forEach(abandoned -> abandoned.set(true));
    }

    /** Waits for this connection's searches to end (before a request that reads or changes the bind state). */
    private void awaitSearches() {
        searches.join();
    }

    /** Thrown from the entry sink when the search was abandoned. */
    private static final class Abandoned extends RuntimeException {
        Abandoned() {
            super(null, null, false, false);
        }
    }

    private LDAPMessage search(int id, SearchRequestProtocolOp request, List<Control> controls, AtomicBoolean abandoned) {
        List<Control> answerControls = new ArrayList<>();
        try {
            SimplePagedResultsControl paged = refuseCriticalControls(controls, true);
            Filters.check(request.getFilter());
            DN base = dn(request.getBaseDN());
            long deadline = System.nanoTime() + server.timeLimitNanos(request.getTimeLimit());
            if (base.isNullDN() || base.equals(new DN(Entries.SCHEMA_DN))) {
                if (request.getScope() != SearchScope.BASE) throw Searches.noSuchObject(null);
                Entry entry = base.isNullDN() ? Entries.rootDse(caller.anonymous() ? List.of() : List.of(Tree.tenant(caller.tenant()).toString()),
                        LdapFrontEnd.version(), server.tls() != null) : Entries.schema();
                if (request.getFilter().matchesEntry(entry)) {
                    connection.sendSearchResultEntry(id, Entries.select(entry, request.getAttributes(), request.typesOnly()));
                }
                return done(id, ResultCode.SUCCESS, null, null, answerControls);
            }
            if (caller.anonymous()) throw new LdapRefusal(ResultCode.INSUFFICIENT_ACCESS_RIGHTS, "bind first: anonymous clients may read the root DSE only");
            refresh();
            Tree.Node node = Tree.parse(base).filter(n -> n.tenant().equals(caller.tenant())).orElseThrow(() -> Searches.noSuchObject(null));
            UserFilter users = UserFilter.and(caller.visibleUsers(), Filters.users(request.getFilter(), caller.tenant()));
            Searches.Request search = new Searches.Request(caller, node, request.getScope(), request.getFilter(), users,
                    request.getAttributes(), request.typesOnly(), deadline);
            int sizeLimit = request.getSizeLimit();
            String binding = binding(node, request);
            long from = Searches.START;
            int limit = sizeLimit;
            if (paged != null) {
                if (paged.getCookie().getValueLength() > 0) from = server.cursors().decode(binding, paged.getCookie().stringValue());
                if (paged.getSize() == 0) { // a page of 0 ends the walk (RFC 2696)
                    answerControls.add(new SimplePagedResultsControl(0, new ASN1OctetString(), false));
                    return done(id, ResultCode.SUCCESS, null, null, answerControls);
                }
                limit = sizeLimit > 0 ? Math.min(sizeLimit, paged.getSize()) : paged.getSize();
            }
            Long next = server.searches().page(search, from, limit, entry -> {
                if (abandoned.get()) throw new Abandoned();
                connection.sendSearchResultEntry(id, entry);
            });
            boolean pageFull = paged != null && (sizeLimit == 0 || paged.getSize() <= sizeLimit);
            if (paged != null) {
                String cookie = next != null && pageFull ? server.cursors().encode(binding, next) : "";
                answerControls.add(new SimplePagedResultsControl(0, new ASN1OctetString(cookie), false));
            }
            if (next != null && !pageFull) return done(id, ResultCode.SIZE_LIMIT_EXCEEDED, null, "size limit exceeded", answerControls);
            return done(id, ResultCode.SUCCESS, null, null, answerControls);
        } catch (LDAPException e) {
            // the connection is gone (or a filter could not be tested): answer if anyone still listens
            return done(id, e.getResultCode(), null, e.getMessage(), answerControls);
        } catch (Abandoned e) {
            throw e;
        } catch (RuntimeException e) {
            Refusal r = refusal(e);
            return done(id, r.code, r.matchedDn, r.message, answerControls);
        }
    }

    /** What a cookie is valid for: the same caller asking the same question (on any connection, of any process). */
    private String binding(Tree.Node base, SearchRequestProtocolOp request) {
        return "ldap|" + caller.dn().toLowerCase(java.util.Locale.ROOT) + "|" + base + "|" + request.getScope().intValue()
                + "|" + request.getFilter().toNormalizedString();
    }

    /**
     * An app's search counts against its rate limit, and stops working once the app is gone or has a new secret. The
     * app is read again at most once a second per connection: read for every search, it was an eighth of a
     * page's server time (JFR, 20k users), and a client searching back to back reads it 100 times a second.
     */
    private void refresh() {
        if (caller.app() == null) return;
        long now = System.nanoTime();
        if (now - checkedAt >= RECHECK_NANOS) {
            TenantApp current = server.services().apps().find(caller.app().app().id())
                    .filter(a -> a.tenantId().equals(caller.tenant()) && a.secretVersion() == caller.app().secretVersion())
                    .orElse(null);
            if (current == null) {
                caller = Caller.ANONYMOUS;
                throw new LdapRefusal(ResultCode.INSUFFICIENT_ACCESS_RIGHTS, "the app was removed or its secret changed: bind again");
            }
            caller = Caller.app(caller.dn(), current);
            checkedAt = now;
        }
        server.services().callers().admit(caller.app(), LdapFrontEnd.SCOPE);
    }

    private static LDAPMessage done(int id, ResultCode code, String matchedDn, String message, List<Control> controls) {
        return new LDAPMessage(id, new SearchResultDoneProtocolOp(code.intValue(), matchedDn, message, null), controls);
    }

    // ---- compare

    @Override
    public LDAPMessage processCompareRequest(int id, CompareRequestProtocolOp request, List<Control> controls) {
        awaitSearches();
        try {
            refuseCriticalControls(controls, false);
            if (caller.anonymous()) throw new LdapRefusal(ResultCode.INSUFFICIENT_ACCESS_RIGHTS, "bind first");
            refresh();
            Tree.Node node = Tree.parse(dn(request.getDN())).filter(n -> n.tenant().equals(caller.tenant()))
                    .orElseThrow(() -> Searches.noSuchObject(null));
            Optional<Entry> entry = server.searches().entry(caller, node);
            if (entry.isEmpty()) throw Searches.noSuchObject(null);
            boolean equal = entry.get().hasAttributeValue(request.getAttributeName(), request.getAssertionValue().getValue());
            return compareResult(id, equal ? ResultCode.COMPARE_TRUE : ResultCode.COMPARE_FALSE, null, null);
        } catch (RuntimeException e) {
            Refusal r = refusal(e);
            return compareResult(id, r.code, r.matchedDn, r.message);
        }
    }

    private static LDAPMessage compareResult(int id, ResultCode code, String matchedDn, String message) {
        return new LDAPMessage(id, new CompareResponseProtocolOp(code.intValue(), matchedDn, message, null));
    }

    // ---- extended operations: Who am I? (ldapwhoami) and StartTLS (when a certificate is configured)

    @Override
    public LDAPMessage processExtendedRequest(int id, ExtendedRequestProtocolOp request, List<Control> controls) {
        awaitSearches(); // StartTLS needs no operation outstanding (RFC 4511 4.14.1)
        try {
            refuseCriticalControls(controls, false);
        } catch (LdapRefusal r) {
            return new LDAPMessage(id, new ExtendedResponseProtocolOp(r.code.intValue(), null, r.getMessage(), null, null, null));
        }
        return switch (request.getOID()) {
            case Entries.WHO_AM_I -> new LDAPMessage(id, new ExtendedResponseProtocolOp(ResultCode.SUCCESS_INT_VALUE, null, null, null, null,
                    new ASN1OctetString(caller.anonymous() ? "" : "dn:" + caller.dn())));
            case Entries.START_TLS -> startTls(id);
            default -> new LDAPMessage(id, new ExtendedResponseProtocolOp(ResultCode.PROTOCOL_ERROR_INT_VALUE, null,
                    "unsupported extended operation " + request.getOID(), null, null, null));
        };
    }

    /**
     * StartTLS (RFC 4511 4.14): the success answer goes out in the clear, then the connection's socket is switched to
     * TLS (the SDK's convertToTLS), whose handshake the client starts on receiving it. Searches were awaited, so no
     * operation is outstanding. The bind state stays (RFC 4513 3.1.1 allows either).
     */
    private LDAPMessage startTls(int id) {
        if (server.tls() == null) return extendedResult(id, ResultCode.UNAVAILABLE, "StartTLS is not available: no certificate is configured");
        if (connection.getSocket() instanceof SSLSocket) return extendedResult(id, ResultCode.OPERATIONS_ERROR, "TLS is already in use on this connection");
        LDAPMessage ok = new LDAPMessage(id, new ExtendedResponseProtocolOp(ResultCode.SUCCESS_INT_VALUE, null, null, null, Entries.START_TLS, null));
        try {
            OutputStream clear = connection.convertToTLS(server.tls().startTls());
            ASN1Buffer buffer = new ASN1Buffer();
            ok.writeTo(buffer);
            buffer.writeTo(clear);
            clear.flush();
        } catch (LDAPException | IOException e) {
            log.debug("StartTLS failed on connection {}: {}", connection.getConnectionID(), e.toString());
            try {
                connection.close();
            } catch (IOException ignored) {
                // already gone
            }
        }
        return ok; // sent above: the connection suppresses its own copy of the next answer after convertToTLS
    }

    private static LDAPMessage extendedResult(int id, ResultCode code, String message) {
        return new LDAPMessage(id, new ExtendedResponseProtocolOp(code.intValue(), null, message, null, null, null));
    }

    // ---- writes: refused

    @Override
    public LDAPMessage processAddRequest(int id, AddRequestProtocolOp request, List<Control> controls) {
        return new LDAPMessage(id, new AddResponseProtocolOp(ResultCode.UNWILLING_TO_PERFORM_INT_VALUE, null, READ_ONLY, null));
    }

    @Override
    public LDAPMessage processDeleteRequest(int id, DeleteRequestProtocolOp request, List<Control> controls) {
        return new LDAPMessage(id, new DeleteResponseProtocolOp(ResultCode.UNWILLING_TO_PERFORM_INT_VALUE, null, READ_ONLY, null));
    }

    @Override
    public LDAPMessage processModifyRequest(int id, ModifyRequestProtocolOp request, List<Control> controls) {
        return new LDAPMessage(id, new ModifyResponseProtocolOp(ResultCode.UNWILLING_TO_PERFORM_INT_VALUE, null, READ_ONLY, null));
    }

    @Override
    public LDAPMessage processModifyDNRequest(int id, ModifyDNRequestProtocolOp request, List<Control> controls) {
        return new LDAPMessage(id, new ModifyDNResponseProtocolOp(ResultCode.UNWILLING_TO_PERFORM_INT_VALUE, null, READ_ONLY, null));
    }

    // ---- controls, names, refusals

    /**
     * Refuses a critical control Roster does not implement (unavailableCriticalExtension, RFC 4511 4.1.11); returns
     * the paged-results control of a search.
     */
    private static SimplePagedResultsControl refuseCriticalControls(List<Control> controls, boolean search) {
        SimplePagedResultsControl paged = null;
        for (Control c : controls) {
            if (search && c.getOID().equals(Entries.PAGED_RESULTS)) {
                try {
                    paged = new SimplePagedResultsControl(c.getOID(), c.isCritical(), c.getValue());
                } catch (LDAPException e) {
                    throw new LdapRefusal(ResultCode.PROTOCOL_ERROR, "malformed paged results control");
                }
                if (paged.getSize() < 0) throw new LdapRefusal(ResultCode.PROTOCOL_ERROR, "malformed paged results control");
            } else if (c.isCritical()) {
                throw new LdapRefusal(ResultCode.UNAVAILABLE_CRITICAL_EXTENSION, "unsupported critical control " + c.getOID());
            }
        }
        return paged;
    }

    private static DN dn(String text) {
        try {
            return new DN(text);
        } catch (LDAPException e) {
            throw new LdapRefusal(ResultCode.INVALID_DN_SYNTAX, "not a valid DN");
        }
    }

    private record Refusal(ResultCode code, String matchedDn, String message) {}

    /** Every exception as an LDAP result: Roster's refusals as they are, the core's failures by kind. */
    private Refusal refusal(RuntimeException e) {
        if (e instanceof LdapRefusal r) return new Refusal(r.code, r.matchedDn, r.getMessage());
        Failure f = Failure.of(e);
        ResultCode code = switch (f.kind()) {
            case INVALID_INPUT, REFUSED -> ResultCode.UNWILLING_TO_PERFORM;
            case CONFLICT -> ResultCode.CONSTRAINT_VIOLATION;
            case NOT_FOUND -> ResultCode.NO_SUCH_OBJECT;
            case UNAUTHORIZED -> ResultCode.INVALID_CREDENTIALS;
            case FORBIDDEN -> ResultCode.INSUFFICIENT_ACCESS_RIGHTS;
            case RATE_LIMITED, BUSY -> ResultCode.BUSY;
            case INVALID_CURSOR -> ResultCode.UNWILLING_TO_PERFORM;
            case INTERNAL -> ResultCode.OTHER;
        };
        if (f instanceof Failure.Internal) log.error("LDAP request failed (connection {})", connection == null ? -1 : connection.getConnectionID(), e);
        String message = f instanceof Failure.Internal ? "internal error" : f instanceof Failure.InvalidCursor ? "the paged results cookie is invalid" : f.getMessage();
        return new Refusal(code, null, message);
    }
}
