package roster.ldap;

import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.SearchScope;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import roster.core.Services;
import roster.model.AccessGroup;
import roster.model.Attribute;
import roster.model.Department;
import roster.model.Order;
import roster.model.Tenant;
import roster.model.User;
import roster.model.UserDetail;
import roster.model.UserFilter;
import roster.query.UserQueries;

/**
 * One page of a search below a tenant: the few entries that are not users (the tenant, its containers,
 * departments, groups) first, tested against the filter in memory, then the users, selected by the core's query
 * with the filter translated (Filters) and the caller's visibility, in num order, read in short keyset chunks.
 * Each chunk is its own read, so a slow client holds no database transaction while entries are sent.
 *
 * <p>A position is where a page stopped: {@code Long.MIN_VALUE + i} for the i-th entry that is not a user, else
 * the num of the last user sent. The paged-results cookie carries it, signed.
 */
final class Searches {

    static final long START = Long.MIN_VALUE;
    /** Positions below this count entries that are not users; nums are far above. */
    private static final long OTHERS_SPAN = 1L << 40;
    private static final int CHUNK = 500;

    /** Where entries go; false stops the walk (the connection is gone). */
    interface Sink {
        void send(Entry entry) throws LDAPException;
    }

    /** What a search asks, once parsed. */
    record Request(Caller caller, Tree.Node base, SearchScope scope, Filter filter, UserFilter users, List<String> attributes,
                   boolean typesOnly, long deadlineNanos) {}

    private final Services services;
    private final UserQueries queries;

    Searches(Services services) {
        this.services = services;
        this.queries = services.queries();
    }

    /** Sends up to limit entries (0: all) from the position; returns the position to resume at, or null at the end. */
    Long page(Request r, long from, int limit, Sink sink) throws LDAPException {
        String tenant = r.caller().tenant();
        Scope s = scope(r);
        List<Entry> others = s.others;
        int sent = 0;
        Long after = null;
        if (from < START + OTHERS_SPAN) {
            for (int i = (int) (from - START); i < others.size(); i++) {
                if (limit > 0 && sent == limit) return START + i;
                Entry e = others.get(i);
                if (!matches(r.filter(), e)) continue;
                sink.send(Entries.select(e, r.attributes(), r.typesOnly()));
                sent++;
                checkTime(r);
            }
            if (!s.users) return null;
            if (limit > 0 && sent == limit) {
                // the page is full: a cookie only when a user is still to come
                return queries.keysetPage(tenant, r.users(), Order.NUM, null, 1, UserDetail.ROW).users().isEmpty() ? null : START + others.size();
            }
        } else {
            if (!s.users) return null;
            after = from;
        }
        boolean photo = Entries.named(r.attributes(), Entries.PHOTO);
        Optional<User> named = exactUid(r.filter()).flatMap(uid -> user(tenant, uid));
        if (named.isPresent()) {
            // (uid=X) naming a user exactly: found through the username (or id) index, then tested against the whole
            // translated filter by the core; a case-blind scan of the tenant is left to values that name nobody exactly
            if (queries.selects(tenant, r.users(), named.get())) {
                User u = named.get();
                byte[] face = photo && u.acs().face() != null ? services.directory().face(tenant, u.id()) : null;
                sink.send(Entries.select(Entries.user(tenant, u, face), r.attributes(), r.typesOnly()));
            }
            return null;
        }
        // only the columns entries are made of, and memberships only when an attribute made of them is returned:
        // whole users (31 columns, JSON parsed) were a third of a page's server time
        boolean memberships = Entries.wantsMemberships(r.attributes());
        while (true) {
            int chunk = limit > 0 ? Math.min(CHUNK, limit - sent) : CHUNK;
            UserQueries.KeysetPage page = queries.keysetPage(tenant, r.users(), Order.NUM, after, chunk, Entries.USER_COLUMNS, memberships);
            for (User u : page.users()) {
                byte[] face = photo && u.acs().face() != null ? services.directory().face(tenant, u.id()) : null;
                sink.send(Entries.select(Entries.user(tenant, u, face), r.attributes(), r.typesOnly()));
                sent++;
                checkTime(r);
            }
            if (page.next() == null) return null;
            after = page.next();
            if (limit > 0 && sent >= limit) return after;
        }
    }

    /** The entry a DN names, if the caller may see it (for compare). */
    Optional<Entry> entry(Caller caller, Tree.Node node) {
        Scope s = scope(new Request(caller, node, SearchScope.BASE, Filter.createPresenceFilter("objectClass"), caller.visibleUsers(),
                List.of("*", "+"), false, Long.MAX_VALUE));
        if (!s.others.isEmpty()) return Optional.of(s.others.get(0));
        return Optional.empty();
    }

    /** The entries in scope that are not users (in memory: a tenant has few), and whether users are in scope. */
    private record Scope(List<Entry> others, boolean users) {}

    private Scope scope(Request r) {
        Caller caller = r.caller();
        Tree.Node base = r.base();
        String tenant = base.tenant();
        SearchScope scope = r.scope();
        boolean self = scope == SearchScope.BASE || scope == SearchScope.SUB;
        boolean below = scope != SearchScope.BASE;
        boolean deep = scope == SearchScope.SUB || scope == SearchScope.SUBORDINATE_SUBTREE;
        boolean tree = caller.seesTree();
        List<Entry> others = new ArrayList<>();
        switch (base.kind()) {
            case TENANT -> {
                Tenant t = services.directory().tenant(tenant).orElseThrow(() -> noSuchObject(""));
                if (tree && self) others.add(Entries.tenant(t));
                if (tree && below) Tree.CONTAINERS.stream().sorted().forEach(c -> others.add(Entries.container(tenant, c)));
                if (tree && deep) {
                    others.addAll(departments(tenant));
                    others.addAll(groups(r));
                }
                return new Scope(others, deep);
            }
            case CONTAINER -> {
                if (tree && self) others.add(Entries.container(tenant, base.id()));
                if (below) {
                    if (base.id().equals(Tree.DEPARTMENTS) && tree) others.addAll(departments(tenant));
                    if (base.id().equals(Tree.GROUPS) && tree) others.addAll(groups(r));
                }
                return new Scope(others, below && base.id().equals(Tree.PEOPLE));
            }
            case USER -> {
                User u = user(tenant, base.id()).orElseThrow(() -> noSuchObject(Tree.container(tenant, Tree.PEOPLE).toString()));
                if (!queries.selects(tenant, r.caller().visibleUsers(), u)) throw noSuchObject(Tree.container(tenant, Tree.PEOPLE).toString());
                boolean photo = Entries.named(r.attributes(), Entries.PHOTO) && u.acs().face() != null;
                if (self && queries.selects(tenant, r.users(), u)) {
                    others.add(Entries.user(tenant, u, photo ? services.directory().face(tenant, u.id()) : null));
                }
                return new Scope(others, false);
            }
            case DEPARTMENT -> {
                if (!tree) throw noSuchObject(Tree.tenant(tenant).toString());
                Department d = services.directory().department(tenant, base.id())
                        .orElseThrow(() -> noSuchObject(Tree.container(tenant, Tree.DEPARTMENTS).toString()));
                if (self) others.add(Entries.department(tenant, d));
                return new Scope(others, false);
            }
            case GROUP -> {
                if (!tree) throw noSuchObject(Tree.tenant(tenant).toString());
                AccessGroup g = services.directory().accessGroup(tenant, base.id())
                        .orElseThrow(() -> noSuchObject(Tree.container(tenant, Tree.GROUPS).toString()));
                if (self) others.add(Entries.group(tenant, g, wantsMembers(r) ? members(r, g.id()) : null));
                return new Scope(others, false);
            }
            default -> throw noSuchObject(Tree.container(tenant, Tree.APPS).toString()); // apps are bind names, not entries
        }
    }

    private List<Entry> departments(String tenant) {
        return services.directory().departments(tenant).stream().map(d -> Entries.department(tenant, d)).toList();
    }

    private List<Entry> groups(Request r) {
        String tenant = r.caller().tenant();
        boolean members = wantsMembers(r);
        return services.directory().accessGroups(tenant).stream()
                .map(g -> Entries.group(tenant, g, members ? members(r, g.id()) : null)).toList();
    }

    /** Members are read only when the search shows or tests them. */
    private static boolean wantsMembers(Request r) {
        return Entries.allUserAttributes(r.attributes()) || Entries.named(r.attributes(), "member") || mentions(r.filter(), "member");
    }

    private static boolean mentions(Filter f, String attribute) {
        if (f.getComponents().length > 0) {
            for (Filter c : f.getComponents()) if (mentions(c, attribute)) return true;
            return false;
        }
        if (f.getNOTComponent() != null) return mentions(f.getNOTComponent(), attribute);
        return f.getAttributeName() != null && f.getAttributeName().equalsIgnoreCase(attribute);
    }

    /** The DNs of a group's members that the caller may see. */
    private List<String> members(Request r, String group) {
        String tenant = r.caller().tenant();
        UserFilter filter = UserFilter.and(r.caller().visibleUsers(), new UserFilter.InAccessGroup(group));
        List<String> dns = new ArrayList<>();
        Long after = null;
        do {
            UserQueries.KeysetPage page = queries.keysetPage(tenant, filter, Order.NUM, after, 1000, UserDetail.ROW);
            page.users().forEach(u -> dns.add(Tree.user(tenant, Entries.uid(u)).toString()));
            after = page.next();
            checkTime(r);
        } while (after != null);
        return dns;
    }

    /** The value of a uid equality the filter requires (alone, or as a part of an and), if any. */
    private static Optional<String> exactUid(Filter f) {
        if ((f.getFilterType() == Filter.FILTER_TYPE_EQUALITY || f.getFilterType() == Filter.FILTER_TYPE_APPROXIMATE_MATCH)
                && f.getAttributeName().equalsIgnoreCase("uid")) {
            return Optional.of(f.getAssertionValue());
        }
        if (f.getFilterType() == Filter.FILTER_TYPE_AND) {
            for (Filter c : f.getComponents()) {
                Optional<String> uid = exactUid(c);
                if (uid.isPresent()) return uid;
            }
        }
        return Optional.empty();
    }

    private Optional<User> user(String tenant, String uid) {
        Optional<User> byName = services.directory().user(tenant, Attribute.USERNAME, uid, UserDetail.PROFILE);
        if (byName.isPresent()) return byName;
        return services.directory().user(tenant, Attribute.ID, uid, UserDetail.PROFILE).filter(u -> Entries.uid(u).equals(uid));
    }

    private static boolean matches(Filter filter, Entry e) {
        try {
            return filter.matchesEntry(e);
        } catch (LDAPException ex) {
            return false;
        }
    }

    private static void checkTime(Request r) {
        if (System.nanoTime() - r.deadlineNanos() > 0) throw new LdapRefusal(ResultCode.TIME_LIMIT_EXCEEDED, "time limit exceeded");
    }

    static LdapRefusal noSuchObject(String matchedDn) {
        return new LdapRefusal(ResultCode.NO_SUCH_OBJECT, "no such entry", matchedDn);
    }
}
