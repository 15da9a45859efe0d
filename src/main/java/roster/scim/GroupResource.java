package roster.scim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import roster.core.Services;
import roster.directory.UserWriter;
import roster.model.AccessGroup;
import roster.model.Failure;
import roster.model.Acs;
import roster.model.Order;
import roster.model.TenantApp;
import roster.model.User;
import roster.model.UserDetail;
import roster.model.UserFilter;
import roster.query.UserQueries;

/**
 * SCIM Groups are the tenant's access groups: displayName is the group's name, members are users by id (the
 * members the app may see). Membership lives on the user (its access groups), so changing a group's members is a
 * change of each user added or removed: each takes a sequence number and shows in the change feed, as any user
 * change does. Departments are not a SCIM resource type; a user's departments are in the Roster extension.
 *
 * <p>A tenant has few access groups (they are door permission groups), so lists are read whole and filtered,
 * sorted and paged in memory. A cursor walks the groups in id order and carries the id of the last group served
 * (signed with the app and the filter): a walk lists every group that stays for the whole walk exactly once, as a
 * position in the list could not (a group deleted before it would shift the rest).
 *
 * <p>meta.version (the ETag) is the group's stored version, which the store draws afresh whenever the group's
 * name or members change, whichever front end changed them; If-Match is checked inside the write transaction.
 */
final class GroupResource {

    private final Services services;

    GroupResource(Services services) {
        this.services = services;
    }

    void register(Javalin app) {
        String base = ScimApi.BASE + "/Groups";
        app.get(base, ctx -> list(ctx, ListQuery.of(ctx)));
        app.post(base + "/.search", ctx -> list(ctx, ListQuery.of(ScimApi.body(ctx))));
        app.post(base, ctx -> ScimApi.respond(ctx, create(ScimApi.callerOf(ctx), ScimApi.base(ctx), ScimApi.body(ctx))));
        app.get(base + "/{id}", ctx -> {
            TenantApp caller = ScimApi.callerOf(ctx);
            AccessGroup g = group(caller, ctx.pathParam("id"));
            String version = version(services.directory().accessGroupVersion(caller.tenantId(), g.id()).orElseThrow(() -> notFound(g.id())));
            ctx.header("ETag", version);
            if (ScimApi.matchesAny(ctx.header("If-None-Match"), version)) {
                ctx.status(304);
                return;
            }
            ListQuery q = ListQuery.projectionOf(ctx);
            ScimApi.write(ctx, 200, q.project(toScim(ScimApi.base(ctx), caller, g, version, wantsMembers(q))));
        });
        app.put(base + "/{id}", ctx -> ScimApi.respond(ctx, replace(ScimApi.callerOf(ctx), ScimApi.base(ctx), ctx.pathParam("id"), ScimApi.body(ctx), ctx.header("If-Match"))));
        app.patch(base + "/{id}", ctx -> {
            // excludedAttributes=members spares reading the members back (Entra ID and Okta patch members by the thousand)
            ListQuery q = ListQuery.projectionOf(ctx);
            ScimApi.respond(ctx, patch(ScimApi.callerOf(ctx), ScimApi.base(ctx), ctx.pathParam("id"), ScimApi.body(ctx), wantsMembers(q), ctx.header("If-Match")));
        });
        app.delete(base + "/{id}", ctx -> ScimApi.respond(ctx, delete(ScimApi.callerOf(ctx), ctx.pathParam("id"), ctx.header("If-Match"))));
    }

    ScimApi.Outcome delete(TenantApp caller, String id, String ifMatch) {
        group(caller, id);
        services.directory().write(caller.tenantId(), false, w -> {
            checkVersion(w, id, ifMatch);
            w.deleteAccessGroup(id);
            return null;
        });
        return new ScimApi.Outcome(204, null, null, null);
    }

    /** If-Match against the version the write transaction sees: 412 on a mismatch, 404 when the group went meanwhile. */
    private static void checkVersion(roster.directory.TenantWriter w, String id, String ifMatch) {
        if (ifMatch == null) return;
        long stored = w.accessGroupVersion(id).orElseThrow(() -> notFound(id));
        if (!ScimApi.matchesAny(ifMatch, version(stored))) throw ScimError.preconditionFailed();
    }

    /** The weak entity tag of a group's stored version. */
    static String version(long stored) {
        return "W/\"" + stored + "\"";
    }

    private static ScimError notFound(String id) {
        return ScimError.notFound("no Group " + id);
    }

    private void list(Context ctx, ListQuery q) {
        TenantApp caller = ScimApi.callerOf(ctx);
        ScimFilter.Node filter = q.filter() == null ? null : ScimFilter.parse(q.filter());
        boolean withMembers = wantsMembers(q);
        String binding = "scim|Groups|" + caller.app().id() + "|" + q.filter();
        String after = null;
        if (q.cursor() != null) {
            if (q.startIndex() != null) throw ScimError.invalidValue("ask with startIndex or with cursor, not both");
            if (q.sortBy() != null) throw ScimError.invalidValue("a cursor walk lists groups in one stable order (by id); sortBy goes with startIndex");
            if (!q.cursor().isEmpty()) after = decodeCursor(binding, q.cursor());
        }
        Map<String, Long> versions = services.directory().accessGroupVersions(caller.tenantId());
        List<ObjectNode> all = new ArrayList<>();
        for (AccessGroup g : services.directory().accessGroups(caller.tenantId())) {
            Long version = versions.get(g.id());
            if (version == null) continue; // deleted between the two reads
            boolean members = withMembers || (filter != null && q.filter().toLowerCase(Locale.ROOT).contains("members"));
            ObjectNode json = toScim(ScimApi.base(ctx), caller, g, version(version), members);
            if (filter == null || ScimFilter.matches(filter, json, null)) {
                if (members && !withMembers) json.remove("members");
                all.add(json);
            }
        }
        if (q.sortBy() == null) {
            all.sort(Comparator.comparing(j -> j.path("id").asText())); // the cursor's order, the same on every database
        } else {
            String key = ScimFilter.path(q.sortBy(), false).key();
            if (!key.equals("displayname") && !key.equals("id")) throw ScimError.invalidValue("sortBy: Groups sort by displayName or id");
            Comparator<ObjectNode> by = Comparator.comparing(j -> j.path(key.equals("id") ? "id" : "displayName").asText().toLowerCase(Locale.ROOT));
            all.sort("descending".equalsIgnoreCase(q.sortOrder()) ? by.reversed() : by);
        }
        ObjectNode body = ScimApi.listResponse();
        body.put("totalResults", all.size());
        int from = 0;
        if (q.cursor() == null) {
            from = (q.startIndex() == null ? 1 : Math.max(1, q.startIndex())) - 1;
            body.put("startIndex", from + 1);
        } else if (after != null) {
            // the groups after the last one served, by id: a group deleted or added meanwhile moves no other
            String last = after;
            while (from < all.size() && all.get(from).path("id").asText().compareTo(last) <= 0) from++;
        }
        int to = (int) Math.min(all.size(), (long) from + q.count());
        ArrayNode resources = JsonNodeFactory.instance.arrayNode();
        for (int i = from; i < to; i++) resources.add(q.project(all.get(i)));
        if (q.cursor() != null && to < all.size()) {
            String last = to > from ? all.get(to - 1).path("id").asText() : after;
            body.put("nextCursor", last == null ? encodeCursor(binding, "") : encodeCursor(binding, last));
        }
        body.put("itemsPerPage", resources.size());
        body.set("Resources", resources);
        ScimApi.write(ctx, 200, body);
    }

    /** A group cursor: the id of the last group served, signed with the app and the filter (the core's page tokens). */
    private String encodeCursor(String binding, String lastId) {
        String id = Base64.getUrlEncoder().withoutPadding().encodeToString(lastId.getBytes(StandardCharsets.UTF_8));
        return services.cursors().encode(binding + "|" + lastId, 0) + "." + id;
    }

    private String decodeCursor(String binding, String cursor) {
        int dot = cursor.lastIndexOf('.');
        if (dot < 0) throw new Failure.InvalidCursor();
        String lastId;
        try {
            lastId = new String(Base64.getUrlDecoder().decode(cursor.substring(dot + 1)), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new Failure.InvalidCursor();
        }
        if (services.cursors().decode(binding + "|" + lastId, cursor.substring(0, dot)) != 0) throw new Failure.InvalidCursor();
        return lastId;
    }

    private static boolean wantsMembers(ListQuery q) {
        for (String e : q.excluded()) if (e.equalsIgnoreCase("members")) return false;
        if (q.attributes().isEmpty()) return true;
        for (String a : q.attributes()) if (a.toLowerCase(Locale.ROOT).startsWith("members")) return true;
        return false;
    }

    ScimApi.Outcome create(TenantApp caller, String base, JsonNode in) {
        AccessGroup g = new AccessGroup(UUID.randomUUID().toString(), displayName(in));
        long version = write(caller, g, members(in), true, null);
        return outcome(201, base, caller, g, version, true);
    }

    ScimApi.Outcome replace(TenantApp caller, String base, String id, JsonNode in, String ifMatch) {
        AccessGroup current = group(caller, id);
        AccessGroup g = new AccessGroup(current.id(), displayName(in));
        long version = write(caller, g, members(in), false, ifMatch);
        return outcome(200, base, caller, g, version, true);
    }

    /** 200 with the group (RFC 7644 §3.5.2 also allows 204, which SDK clients such as UnboundID's cannot read). */
    ScimApi.Outcome patch(TenantApp caller, String base, String id, JsonNode in, boolean withMembers, String ifMatch) {
        AccessGroup current = group(caller, id);
        ObjectNode patched = Patch.apply(toScim(base, caller, current, null, true), in);
        AccessGroup g = new AccessGroup(current.id(), displayName(patched));
        long version = write(caller, g, members(patched), false, ifMatch);
        return outcome(200, base, caller, g, version, withMembers);
    }

    private ScimApi.Outcome outcome(int status, String base, TenantApp caller, AccessGroup g, long stored, boolean withMembers) {
        String version = version(stored);
        return new ScimApi.Outcome(status, toScim(base, caller, g, version, withMembers), base + "/Groups/" + g.id(), version);
    }

    /**
     * The group and its members, in one write: each user whose membership changes is one change of the user.
     * Answers the group's version after the write, read in the same transaction.
     */
    private long write(TenantApp caller, AccessGroup g, Set<String> members, boolean create, String ifMatch) {
        List<String> before = create ? List.of() : memberIds(caller, g.id());
        return services.directory().write(caller.tenantId(), false, w -> {
            if (create && w.hasAccessGroup(g.id())) throw new ScimError(409, "uniqueness", "group " + g.id() + " exists");
            if (!create) checkVersion(w, g.id(), ifMatch);
            w.putAccessGroup("$", g);
            Set<String> touched = new LinkedHashSet<>(before);
            touched.addAll(members);
            List<User> users = w.readUsers(touched);
            Set<String> found = new HashSet<>();
            List<UserWriter.Located> changed = new ArrayList<>();
            for (User u : users) {
                found.add(u.id());
                boolean member = members.contains(u.id());
                List<String> groups = new ArrayList<>(u.acs().groups());
                if (member == groups.contains(g.id())) continue;
                if (member) groups.add(g.id()); else groups.remove(g.id());
                changed.add(new UserWriter.Located("$", u.with().passwordHash(null).sequence(null).updatedAt(null)
                        .acs(new Acs(groups, u.acs().card(), u.acs().face())).build()));
            }
            for (String id : members) if (!found.contains(id)) throw ScimError.invalidValue("members: no User " + id);
            w.putUsers(changed);
            return w.accessGroupVersion(g.id()).orElseThrow();
        });
    }

    private AccessGroup group(TenantApp caller, String id) {
        return services.directory().accessGroup(caller.tenantId(), id).orElseThrow(() -> ScimError.notFound("no Group " + id));
    }

    private ObjectNode toScim(String base, TenantApp caller, AccessGroup g, String version, boolean withMembers) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.putArray("schemas").add(ScimFilter.CORE_GROUP);
        out.put("id", g.id());
        out.put("displayName", g.name() == null ? g.id() : g.name());
        if (withMembers) {
            ArrayNode members = out.putArray("members");
            for (String id : memberIds(caller, g.id())) members.addObject().put("value", id).put("$ref", base + "/Users/" + id).put("type", "User");
        }
        ObjectNode meta = out.putObject("meta");
        meta.put("resourceType", "Group");
        meta.put("location", base + "/Groups/" + g.id());
        if (version != null) meta.put("version", version);
        return out;
    }

    /** The group's members the app may see, walked by keyset in pages of 1000. */
    private List<String> memberIds(TenantApp caller, String groupId) {
        UserFilter filter = UserFilter.and(UserFilter.visibleTo(caller.app().visibleTo()), new UserFilter.InAccessGroup(groupId));
        List<String> ids = new ArrayList<>();
        Long after = null;
        do {
            UserQueries.KeysetPage page = services.queries().keysetPage(caller.tenantId(), filter, Order.NUM, after, 1000, UserDetail.ROW);
            page.users().forEach(u -> ids.add(u.id()));
            after = page.next();
        } while (after != null);
        return ids;
    }

    private static String displayName(JsonNode in) {
        JsonNode name = UserMapping.field(in, "displayName");
        if (name == null || !name.isTextual() || name.asText().isBlank()) throw ScimError.invalidValue("displayName is required");
        return name.asText();
    }

    private static Set<String> members(JsonNode in) {
        JsonNode list = UserMapping.field(in, "members");
        Set<String> out = new LinkedHashSet<>();
        if (list == null || list.isNull()) return out;
        if (!list.isArray()) throw ScimError.invalidValue("members must be an array");
        for (JsonNode m : list) {
            JsonNode value = m.isObject() ? UserMapping.field(m, "value") : null;
            if (value == null || !value.isTextual()) throw ScimError.invalidValue("each member has a value, a User id");
            out.add(value.asText());
        }
        if (out.size() > 100_000) throw new ScimError(400, "tooMany", "too many members in one request");
        return out;
    }
}
