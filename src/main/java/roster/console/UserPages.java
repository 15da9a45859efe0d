package roster.console;

import static roster.console.Console.BASE;
import static roster.console.Console.field;
import static roster.console.Console.form;
import static roster.console.Console.formWords;
import static roster.console.Console.nonNull;
import static roster.console.Console.query;
import static roster.console.Console.queryString;
import static roster.console.Console.reason;
import static roster.console.Console.redirect;
import static roster.console.Console.text;
import static roster.console.Console.trimmed;
import static roster.console.Console.url;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import roster.model.Acs;
import roster.model.Attribute;
import roster.model.CanonicalJson;
import roster.model.Face;
import roster.model.Failure;
import roster.model.Order;
import roster.model.Status;
import roster.model.Times;
import roster.model.User;
import roster.model.UserDetail;
import roster.model.UserFilter;
import roster.query.ChangeFeed;
import roster.query.UserQueries;

/**
 * A tenant's users: the list (search as you type, filters, keyset pages), a user's form (create, edit with the
 * version it was read at, delete), the face image, and the audit view of changes, newest first.
 */
final class UserPages {

    private static final int HISTORY_PAGE = 50;

    private final Console console;

    UserPages(Console console) {
        this.console = console;
    }

    void register(Javalin app, String tenant) {
        Console.page(app, tenant + "/users", this::usersPage);
        app.post(tenant + "/users", this::createUser);
        Console.page(app, tenant + "/new-user", ctx -> console.render(ctx, 200, "user.jte", userForm(ctx, true, null, Map.of(), Map.of(), null, null)));
        Console.page(app, tenant + "/users/{id}", this::userPage);
        app.post(tenant + "/users/{id}", this::saveUser);
        app.post(tenant + "/users/{id}/delete", this::deleteUser);
        Console.page(app, tenant + "/changes", this::changesPage);
        Console.page(app, tenant + "/users/{id}/face", this::face);
        app.post(tenant + "/users/{id}/face", this::uploadFace);
    }

    // ---- users

    private void usersPage(Context ctx) {
        String tenant = console.tenant(ctx);
        String q = trimmed(query(ctx, "q"));
        String status = trimmed(query(ctx, "status"));
        String department = trimmed(query(ctx, "department"));
        String group = trimmed(query(ctx, "group"));
        String columns = trimmed(query(ctx, "columns"));
        int size = 25;
        String sizeText = trimmed(query(ctx, "size"));
        if (sizeText != null) {
            if (!sizeText.matches("\\d{1,3}") || !Pages.Users.SIZES.contains(Integer.parseInt(sizeText))) {
                throw new Failure.InvalidInput("size", "err.size");
            }
            size = Integer.parseInt(sizeText);
        }
        if (q != null && q.length() > 200) throw new Failure.InvalidInput("q", "err.search.long");
        List<UserFilter> filter = new ArrayList<>();
        if (q != null) {
            filter.add(UserFilter.or(List.of(UserFilter.contains(Attribute.NAME, q), UserFilter.contains(Attribute.USERNAME, q),
                    UserFilter.contains(Attribute.EMAIL, q), UserFilter.contains(Attribute.PHONE, q), UserFilter.contains(Attribute.ID, q))));
        }
        if (status != null) {
            Status s = Status.ofWire(status);
            if (s == null) throw new Failure.InvalidInput("status", "err.status");
            filter.add(UserFilter.status(s));
        }
        if (department != null) filter.add(new UserFilter.InDepartments(List.of(department)));
        if (group != null) filter.add(new UserFilter.InAccessGroup(group));
        String updatedFrom = trimmed(query(ctx, "updated_from"));
        String updatedTo = trimmed(query(ctx, "updated_to"));
        if (updatedFrom != null) filter.add(UserFilter.compare(Attribute.UPDATED_AT, UserFilter.Comparison.GREATER_OR_EQUAL, day(updatedFrom, "updated_from")));
        if (updatedTo != null) filter.add(UserFilter.compare(Attribute.UPDATED_AT, UserFilter.Comparison.LESS, day(updatedTo, "updated_to") + 86_400_000L));
        List<String> keys = columns == null ? List.of() : List.of(columns.split("[,\\s]+")).stream().filter(k -> !k.isEmpty()).distinct().toList();
        if (keys.size() > 10 || keys.stream().anyMatch(k -> k.length() > 64)) throw new Failure.InvalidInput("columns", "err.columns");
        String binding = "console|" + tenant + "|" + q + "|" + status + "|" + department + "|" + group + "|" + updatedFrom + "|" + updatedTo;
        String after = query(ctx, "after");
        Long from = after == null || after.isEmpty() ? null : console.services.cursors().decode(binding, after);
        // one page from the server, never the tenant: keyset on num, as the admin API pages
        UserQueries.KeysetPage page = console.services.queries().keysetPage(tenant, UserFilter.and(filter), Order.NUM, from, size, UserDetail.PROFILE);
        String nextUrl = null;
        if (page.next() != null) {
            Map<String, String> params = new LinkedHashMap<>();
            params.put("q", q);
            params.put("status", status);
            params.put("department", department);
            params.put("group", group);
            params.put("updated_from", updatedFrom);
            params.put("updated_to", updatedTo);
            params.put("size", String.valueOf(size));
            params.put("columns", columns);
            params.put("after", console.services.cursors().encode(binding, page.next()));
            nextUrl = BASE + "/tenants/" + url(tenant) + "/users" + queryString(params);
        }
        console.render(ctx, 200, "users.jte", new Pages.Users(console.frame(ctx, "users.title", tenant), q, status, department, group, updatedFrom, updatedTo, size, keys,
                page.users(), nextUrl));
    }

    private void userPage(Context ctx) {
        User user = console.services.directory().user(console.tenant(ctx), ctx.pathParam("id"))
                .orElseThrow(() -> new Failure.NotFound(Failure.Subject.USER, ctx.pathParam("id")));
        console.render(ctx, 200, "user.jte", userForm(ctx, false, user, values(user), Map.of(), user.sequence(), null));
    }

    private Pages.UserForm userForm(Context ctx, boolean creating, User stored, Map<String, String> values, Map<String, String> errors,
                                    Long version, String notice) {
        String tenant = console.tenant(ctx);
        Text text = text(ctx);
        return new Pages.UserForm(console.frame(ctx, creating ? "user.new" : "user.title", tenant), creating, stored == null ? null : stored.withoutSecrets(),
                values, errors, version, notice == null ? null : text.get(notice));
    }

    /** The form's fields: the canonical fields a person edits, as text. */
    private static final List<String> FIELDS = List.of("id", "username", "name", "nickname", "email", "phone", "external_id",
            "status", "departments", "groups", "card", "custom_data", "password");

    private static Map<String, String> values(User u) {
        Map<String, String> v = new HashMap<>();
        v.put("id", u.id());
        v.put("username", nonNull(u.username()));
        v.put("name", nonNull(u.name()));
        v.put("nickname", nonNull(u.nickname()));
        v.put("email", nonNull(u.email()));
        v.put("phone", nonNull(u.phone()));
        v.put("external_id", nonNull(u.externalId()));
        v.put("status", u.status().wire());
        v.put("departments", String.join(" ", u.departments()));
        v.put("custom_data", u.customData() == null || u.customData().isEmpty() ? "" : u.customData().toPrettyString());
        v.put("groups", String.join(" ", u.acs().groups()));
        v.put("card", u.acs().card() == null ? "" : String.valueOf(u.acs().card()));
        return v;
    }

    private static Map<String, String> submitted(Context ctx) {
        Map<String, String> v = new HashMap<>();
        for (String f : FIELDS) v.put(f, nonNull(form(ctx, f)));
        // the pickers send each chosen id as a value of its own
        v.put("departments", String.join(" ", formWords(ctx, "departments")));
        v.put("groups", String.join(" ", formWords(ctx, "groups")));
        v.remove("password"); // never shown back
        return v;
    }

    /** Applies the form to a user (the stored one, or a new one) through the typed builder. */
    private static User edited(User base, Context ctx, Map<String, String> errors) {
        Status status = Status.ofWire(nonNull(form(ctx, "status")).trim());
        if (status == null) errors.put("status", Text.of(ctx).get("err.status.choose"));
        Integer card = null;
        String cardText = trimmed(form(ctx, "card"));
        if (cardText != null) {
            try {
                card = Integer.valueOf(cardText);
            } catch (NumberFormatException e) {
                errors.put("card", Text.of(ctx).get("err.card"));
            }
        }
        // a form without the field (an older page) keeps the custom data; an empty one clears it
        ObjectNode customData = form(ctx, "custom_data") == null ? base.customData() : null;
        String customText = trimmed(form(ctx, "custom_data"));
        if (customText != null) {
            try {
                JsonNode parsed = CanonicalJson.MAPPER.readTree(customText);
                if (parsed instanceof ObjectNode object) customData = object;
                else errors.put("custom_data", Text.of(ctx).get("user.custom_data.object"));
            } catch (JsonProcessingException e) {
                errors.put("custom_data", Text.of(ctx).format("user.custom_data.json", e.getOriginalMessage()));
            }
        }
        if (!errors.isEmpty()) return null;
        String password = form(ctx, "password");
        return base.with()
                .username(trimmed(form(ctx, "username")))
                .name(trimmed(form(ctx, "name")))
                .nickname(trimmed(form(ctx, "nickname")))
                .email(trimmed(form(ctx, "email")))
                .phone(trimmed(form(ctx, "phone")))
                .externalId(trimmed(form(ctx, "external_id")))
                .status(status)
                .departments(formWords(ctx, "departments"))
                .acs(new Acs(formWords(ctx, "groups"), card, base.acs().face()))
                .customData(customData)
                .password(password == null || password.isEmpty() ? null : password)
                .build();
    }

    private void createUser(Context ctx) {
        String tenant = console.tenant(ctx);
        Map<String, String> errors = new LinkedHashMap<>();
        String id = trimmed(form(ctx, "id"));
        if (id == null) errors.put("id", text(ctx).get("err.id"));
        User user = edited(User.withId(id == null ? "" : id).build(), ctx, errors);
        if (errors.isEmpty()) {
            try {
                console.directory(ctx).createUser(tenant, user);
                redirect(ctx, BASE + "/tenants/" + url(tenant) + "/users/" + url(id));
                return;
            } catch (Failure.InvalidInput | Failure.Conflict e) {
                errors.put(field(e), reason(e));
            }
        }
        console.render(ctx, 400, "user.jte", userForm(ctx, true, null, submitted(ctx), errors, null, null));
    }

    private void saveUser(Context ctx) {
        String tenant = console.tenant(ctx);
        String id = ctx.pathParam("id");
        String versionText = trimmed(form(ctx, "version"));
        if (versionText == null || !versionText.matches("\\d{1,18}")) throw new Failure.InvalidInput("version", "err.version");
        long version = Long.parseLong(versionText);
        Map<String, String> errors = new LinkedHashMap<>();
        try {
            User saved = console.directory(ctx).updateUser(tenant, id, version, current -> {
                User changed = edited(current, ctx, errors);
                if (changed == null) throw new Failure.InvalidInput("$." + errors.keySet().iterator().next(), errors.values().iterator().next());
                return changed;
            });
            console.render(ctx, 200, "user.jte", userForm(ctx, false, saved, values(saved), Map.of(), saved.sequence(), "user.saved"));
            return;
        } catch (Failure.InvalidInput | Failure.Conflict e) {
            errors.putIfAbsent(field(e), reason(e));
        }
        // refused: the form keeps what was typed; a newer version by someone else is shown beside it
        User stored = console.services.directory().user(tenant, id).orElseThrow(() -> new Failure.NotFound(Failure.Subject.USER, id));
        boolean stale = errors.containsKey("sequence");
        console.render(ctx, stale ? 409 : 400, "user.jte", userForm(ctx, false, stored, submitted(ctx), errors,
                stale ? stored.sequence() : version, stale ? "user.stale" : null));
    }

    private void deleteUser(Context ctx) {
        String tenant = console.tenant(ctx);
        if (!"yes".equals(form(ctx, "confirm"))) throw new Failure.InvalidInput("confirm", "err.confirm");
        console.directory(ctx).deleteUser(tenant, ctx.pathParam("id"));
        redirect(ctx, BASE + "/tenants/" + url(tenant) + "/users");
    }

    /** The start of a day (yyyy-mm-dd, UTC) in epoch milliseconds. */
    private static long day(String text, String name) {
        try {
            return Times.millis(java.time.LocalDate.parse(text).atStartOfDay(java.time.ZoneOffset.UTC).toInstant(), name);
        } catch (java.time.DateTimeException e) {
            throw new Failure.InvalidInput(name, "err.date");
        }
    }

    // ---- face images

    private void face(Context ctx) {
        String tenant = console.tenant(ctx);
        String id = ctx.pathParam("id");
        User user = console.services.directory().user(tenant, id).orElseThrow(() -> new Failure.NotFound(Failure.Subject.USER, id));
        if (user.acs().face() == null) throw new Failure.NotFound(Failure.Subject.USER, id + " (face image)");
        byte[] data = console.services.directory().face(tenant, id);
        if (data == null) throw new Failure.NotFound(Failure.Subject.USER, id + " (face image)");
        ctx.contentType(user.acs().face().type() == Face.Type.PNG ? "image/png" : "image/jpeg");
        if (ctx.method() != io.javalin.http.HandlerType.HEAD) ctx.result(data);
    }

    /** A face image (JPEG or PNG by content, up to 5 MiB) for the user, through the same typed write as feishu's. */
    private void uploadFace(Context ctx) {
        String tenant = console.tenant(ctx);
        String id = ctx.pathParam("id");
        byte[] data;
        try {
            var file = ctx.uploadedFile("face");
            if (file == null) throw new Failure.InvalidInput("face", "err.face.none");
            if (file.size() > Face.MAX_BYTES) throw new Failure.InvalidInput("face", "err.face.size");
            try (InputStream in = file.content()) {
                data = in.readAllBytes();
            }
        } catch (Failure e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new Failure.InvalidInput("face", "err.face.multipart");
        }
        Face.Type type = Face.sniff(data);
        if (type == null) throw new Failure.InvalidInput("face", "err.face.type");
        console.directory(ctx).updateUser(tenant, id, u -> u.with().acs(u.acs().withFace(new Face(type, data))).build());
        redirect(ctx, BASE + "/tenants/" + url(tenant) + "/users/" + url(id));
    }

    // ---- the audit view

    private void changesPage(Context ctx) {
        String tenant = console.tenant(ctx);
        String user = trimmed(query(ctx, "user"));
        String beforeText = trimmed(query(ctx, "before"));
        Long before = null;
        if (beforeText != null) {
            if (!beforeText.matches("\\d{1,18}")) throw new Failure.InvalidInput("before", "err.sequence");
            before = Long.parseLong(beforeText);
        }
        List<ChangeFeed.Audited> changes = console.services.changes().newestFirst(tenant, user, before, HISTORY_PAGE);
        String older = null;
        if (changes.size() == HISTORY_PAGE) {
            Map<String, String> params = new LinkedHashMap<>();
            params.put("user", user);
            params.put("before", String.valueOf(changes.get(changes.size() - 1).sequence()));
            older = BASE + "/tenants/" + url(tenant) + "/changes" + queryString(params);
        }
        console.render(ctx, 200, "changes.jte", new Pages.Changes(console.frame(ctx, "changes.title", tenant), user, changes, older));
    }
}
