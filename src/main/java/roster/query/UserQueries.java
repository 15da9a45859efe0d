package roster.query;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Predicate;
import roster.model.Attribute;
import roster.model.Order;
import roster.model.Status;
import roster.model.User;
import roster.model.UserDetail;
import roster.model.UserFilter;
import roster.store.AccessGroups;
import roster.store.Counters;
import roster.store.Database;
import roster.store.Departments;
import roster.store.Tenants;
import roster.store.Tx;
import roster.store.Users;

/**
 * The one query core behind every user list: a tenant, the neutral {@link UserFilter}, a stable order, keyset and
 * offset paging, counts.
 *
 * <p>Keyset pages seek straight to their key through an index, so page 20,000 costs what page 1 costs. Offset
 * pages and total counts of a filter on status alone (or none) read the per-block counters: a few hundred rows say
 * which block of 4096 nums holds the wanted offset, and only that block is scanned. Other filters (a department
 * subtree, an updated-at window, keywords) count the rows they select; those are narrower than the tenant.
 *
 * <p>The caches here are keyed by the tenant's version (its change sequence and creation time), read in the
 * same transaction as the page: a cached entry can only ever answer for the state it was computed from.
 */
public final class UserQueries {

    private final Database db;
    private final ReadShares shares;
    private final Cache<String, List<Counters.Block>> blockCache = Caffeine.newBuilder().maximumSize(256).build();
    private final Cache<String, Boolean> wideCache = Caffeine.newBuilder().maximumSize(256).build();
    private final Cache<String, Set<String>> rootCache = Caffeine.newBuilder().maximumSize(256).build();

    public UserQueries(Database db) {
        this(db, new ReadShares(db.readSlots()));
    }

    /** Every read here is bounded by {@link FilterLimits} and takes a slot of the app's fair share. */
    public UserQueries(Database db, ReadShares shares) {
        this.db = db;
        this.shares = shares;
    }

    /** A read of a filter: refused when the filter is too large, else run in a reader slot of the caller's share. */
    private <T> T read(UserFilter filter, Function<Tx, T> work) {
        FilterLimits.check(filter);
        return shares.run(() -> db.read(work));
    }

    /** A keyset page: users after the key, in order (before it for NUM_DESC); next is the key to ask for the page after, null at the end. */
    public record KeysetPage(List<User> users, Long next) {}

    /** An offset page with the total of the whole filter. */
    public record OffsetPage(List<User> users, long total) {}

    public KeysetPage keysetPage(String tenantId, UserFilter filter, Order order, Long after, int limit, UserDetail detail) {
        return keysetPage(tenantId, filter, order, limit,
                (tx, plan) -> Users.page(tx, tenantId, plan.filter(), plan.wide(), order, after, null, 0, limit + 1, detail));
    }

    /**
     * A keyset page whose users carry only the attributes shown, besides id, num and sequence: what a list that
     * sends a few fields per user (feishu, bizapi) reads, at a fraction of the cost of whole users.
     */
    public KeysetPage keysetPage(String tenantId, UserFilter filter, Order order, Long after, int limit, Set<Attribute> shown) {
        return keysetPage(tenantId, filter, order, limit,
                (tx, plan) -> Users.page(tx, tenantId, plan.filter(), plan.wide(), order, after, limit + 1, shown));
    }

    /** A projected keyset page whose users also carry their departments and access groups (LDAP's departmentNumber, memberOf). */
    public KeysetPage keysetPage(String tenantId, UserFilter filter, Order order, Long after, int limit, Set<Attribute> shown, boolean memberships) {
        return keysetPage(tenantId, filter, order, limit,
                (tx, plan) -> Users.page(tx, tenantId, plan.filter(), plan.wide(), order, after, limit + 1, shown, memberships));
    }

    private KeysetPage keysetPage(String tenantId, UserFilter filter, Order order, int limit,
                                  BiFunction<Tx, Plan, List<User>> onePastLimit) {
        if (!order.isKeyset()) throw new IllegalArgumentException("keyset paging needs order NUM, NUM_DESC or SEQUENCE");
        return read(filter, tx -> {
            List<User> users = onePastLimit.apply(tx, plan(tx, tenantId, filter));
            boolean more = users.size() > limit;
            if (more) users = users.subList(0, limit);
            User last = more ? users.get(users.size() - 1) : null;
            return new KeysetPage(users, last == null ? null : order == Order.SEQUENCE ? last.sequence() : last.num());
        });
    }

    public OffsetPage offsetPage(String tenantId, UserFilter filter, Order order, long offset, int limit, UserDetail detail) {
        return offsetPage(tenantId, filter, order, offset, limit,
                (tx, plan, from) -> Users.page(tx, tenantId, plan.filter(), plan.wide(), order, null, from.num(), from.skip(), limit, detail));
    }

    /** An offset page whose users carry only the attributes shown, besides id, num and sequence (see the keyset one). */
    public OffsetPage offsetPage(String tenantId, UserFilter filter, Order order, long offset, int limit, Set<Attribute> shown) {
        return offsetPage(tenantId, filter, order, offset, limit,
                (tx, plan, from) -> Users.page(tx, tenantId, plan.filter(), plan.wide(), order, from.num(), from.skip(), limit, shown));
    }

    /** Where an offset page starts reading: from this num (null: the first), skipping this many rows. */
    private record Start(Long num, long skip) {}

    private interface PageReader {
        List<User> read(Tx tx, Plan plan, Start from);
    }

    private OffsetPage offsetPage(String tenantId, UserFilter filter, Order order, long offset, int limit, PageReader reader) {
        return read(filter, tx -> {
            List<Counters.Block> blocks = statusesOnly(filter).map(s -> blocks(tx, tenantId, s)).orElse(null);
            Plan plan = plan(tx, tenantId, filter);
            long total = blocks != null ? total(blocks) : Users.count(tx, tenantId, plan.filter(), plan.wide());
            if (offset >= total || limit == 0) return new OffsetPage(List.of(), total);
            Long fromNum = null;
            long skip = offset;
            if (blocks != null && order == Order.NUM) {
                // seek to the block holding the offset, then skip within it
                long before = 0;
                for (Counters.Block b : blocks) {
                    if (before + b.users() > offset) {
                        fromNum = b.firstNum();
                        break;
                    }
                    before += b.users();
                }
                skip = offset - before;
            }
            return new OffsetPage(reader.read(tx, plan, new Start(fromNum, skip)), total);
        });
    }

    public long count(String tenantId, UserFilter filter) {
        return read(filter, tx -> {
            Optional<Set<Status>> statuses = statusesOnly(filter);
            if (statuses.isPresent()) return total(blocks(tx, tenantId, statuses.get()));
            Plan plan = plan(tx, tenantId, filter);
            return Users.count(tx, tenantId, plan.filter(), plan.wide());
        });
    }

    /**
     * The user whose attribute has this value, if the filter selects it: a list's rule applied to one lookup, in
     * one query (each department condition tested on the row, never gathered).
     */
    public Optional<User> find(String tenantId, UserFilter filter, Attribute key, Object given, UserDetail detail) {
        // ids, usernames and emails are stored in NFC (see UserWriter), so they are looked up in NFC
        Object value = given instanceof String s && (key == Attribute.ID || key == Attribute.USERNAME || key == Attribute.EMAIL)
                ? roster.model.Identifiers.lookup(s) : given;
        if (value == null) return Optional.empty();
        UserFilter one = UserFilter.and(filter, UserFilter.eq(key, value));
        return read(one, tx -> Users.page(tx, tenantId, one, d -> true, Order.NUM, null, null, 0, 1, detail).stream().findFirst());
    }

    /** Whether one user, already read, is one the filter selects (the list's rule, applied to a single read). */
    public boolean selects(String tenantId, UserFilter filter, User user) {
        if (filter instanceof UserFilter.All) return true;
        return read(filter, tx -> Users.matches(tx, tenantId, filter, user.id()));
    }

    // ---- counters

    /**
     * The statuses a filter selects when it says nothing but status (all of them for no condition), so that the
     * per-block counters can answer it; empty when it says more.
     */
    static Optional<Set<Status>> statusesOnly(UserFilter f) {
        if (f instanceof UserFilter.All) return Optional.of(EnumSet.allOf(Status.class));
        if (f instanceof UserFilter.Equals eq && eq.attribute() == Attribute.STATUS && !eq.ignoreCase()) return statuses(List.of(eq.value()));
        if (f instanceof UserFilter.In in && in.attribute() == Attribute.STATUS) return statuses(in.values());
        if (f instanceof UserFilter.Not not) {
            return statusesOnly(not.filter()).map(s -> {
                Set<Status> rest = EnumSet.allOf(Status.class);
                rest.removeAll(s);
                return rest;
            });
        }
        if (f instanceof UserFilter.And and) return combined(and.all(), true);
        if (f instanceof UserFilter.Or or) return combined(or.any(), false);
        return Optional.empty();
    }

    private static Optional<Set<Status>> combined(List<UserFilter> parts, boolean intersect) {
        Set<Status> out = intersect ? EnumSet.allOf(Status.class) : EnumSet.noneOf(Status.class);
        for (UserFilter part : parts) {
            Optional<Set<Status>> s = statusesOnly(part);
            if (s.isEmpty()) return Optional.empty();
            if (intersect) out.retainAll(s.get()); else out.addAll(s.get());
        }
        return Optional.of(out);
    }

    private static Optional<Set<Status>> statuses(Collection<Object> values) {
        Set<Status> out = EnumSet.noneOf(Status.class);
        for (Object v : values) {
            Status s = Status.ofWire(String.valueOf(v));
            if (s == null) return Optional.empty(); // an unknown word selects no one; let SQL say so
            out.add(s);
        }
        return Optional.of(out);
    }

    /** The counters' blocks, from the cache while the tenant's version has not moved (so never stale). */
    private List<Counters.Block> blocks(Tx tx, String tenantId, Set<Status> statuses) {
        if (statuses.isEmpty()) return List.of();
        Set<Status> asked = statuses.size() == Status.values().length ? Set.of() : statuses;
        String key = tenantId + "|" + new TreeSet<>(asked) + "|" + Tenants.version(tx, tenantId);
        return blockCache.get(key, k -> Counters.blocks(tx, tenantId, asked));
    }

    private static long total(List<Counters.Block> blocks) {
        long total = 0;
        for (Counters.Block b : blocks) total += b.users();
        return total;
    }

    // ---- membership conditions

    /** The filter as the store runs it, and which of its membership conditions are wide (see wide()). */
    private record Plan(UserFilter filter, Predicate<UserFilter> wide) {}

    /** The tenant's version is read once here, for both caches below, and only when the filter has a membership condition. */
    private Plan plan(Tx tx, String tenantId, UserFilter filter) {
        List<UserFilter> conditions = new ArrayList<>();
        collect(filter, conditions);
        if (conditions.isEmpty()) return new Plan(filter, f -> false);
        String version = Tenants.version(tx, tenantId);
        UserFilter simpler = conditions.stream().anyMatch(c -> c instanceof UserFilter.InDepartments)
                ? wholeTree(tx, tenantId, version, filter) : filter;
        return new Plan(simpler, wide(tx, tenantId, version, simpler));
    }

    /**
     * The filter with each department condition that names every root of the tenant's tree said as "in any
     * department", which selects the same users: each user is then tested by one lookup of its memberships,
     * instead of each membership being matched against the whole tree (a bizapi page of 1000 from the root org
     * cost 4.8 ms, now 2.9). The roots are cached per tenant version.
     */
    private UserFilter wholeTree(Tx tx, String tenantId, String version, UserFilter filter) {
        Set<String> roots = rootCache.get(tenantId + "|" + version, k -> Departments.roots(tx, tenantId));
        return roots.isEmpty() ? filter : withWholeTree(filter, roots);
    }

    private static UserFilter withWholeTree(UserFilter f, Set<String> roots) {
        if (f instanceof UserFilter.InDepartments d) return d.departments().containsAll(roots) ? new UserFilter.InAnyDepartment() : f;
        if (f instanceof UserFilter.And and) return new UserFilter.And(and.all().stream().map(p -> withWholeTree(p, roots)).toList());
        if (f instanceof UserFilter.Or or) return new UserFilter.Or(or.any().stream().map(p -> withWholeTree(p, roots)).toList());
        if (f instanceof UserFilter.Not not) return new UserFilter.Not(withWholeTree(not.filter(), roots));
        return f;
    }

    /**
     * The membership conditions (departments with their subtrees, access groups) whose members are at least a
     * twentieth of the tenant. A page walks the users in order until it is full; for such a condition, testing
     * each user's membership as the walk meets it finds a member every few rows, where gathering the members first
     * would read them all on every page (a million for the root of a tenant: 1.8 s a page instead of 25 ms). A
     * narrow one is the opposite case: its few members are gathered and looked up directly. Counting stops at the
     * threshold; the answer is cached per tenant version.
     */
    private Predicate<UserFilter> wide(Tx tx, String tenantId, String version, UserFilter filter) {
        List<UserFilter> conditions = new ArrayList<>();
        collect(filter, conditions);
        if (conditions.isEmpty()) return f -> false;
        long threshold = Math.max(1000, total(blocks(tx, tenantId, EnumSet.allOf(Status.class))) / 20);
        Set<UserFilter> wide = new HashSet<>();
        for (UserFilter condition : conditions) {
            if (wideCache.get(tenantId + "|" + condition + "|" + version, k -> hasAtLeastMembers(tx, tenantId, condition, threshold))) {
                wide.add(condition);
            }
        }
        return wide::contains;
    }

    private static boolean hasAtLeastMembers(Tx tx, String tenantId, UserFilter condition, long threshold) {
        if (condition instanceof UserFilter.InDepartments d) return Departments.hasAtLeastMembers(tx, tenantId, d.departments(), threshold);
        return AccessGroups.hasAtLeastMembers(tx, tenantId, ((UserFilter.InAccessGroup) condition).group(), threshold);
    }

    private static void collect(UserFilter f, List<UserFilter> out) {
        if (f instanceof UserFilter.InDepartments || f instanceof UserFilter.InAccessGroup) out.add(f);
        else if (f instanceof UserFilter.And and) and.all().forEach(p -> collect(p, out));
        else if (f instanceof UserFilter.Or or) or.any().forEach(p -> collect(p, out));
        else if (f instanceof UserFilter.Not not) collect(not.filter(), out);
    }
}
