package roster.directory;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import roster.crypto.Keys;
import roster.crypto.Passwords;
import roster.model.Acs;
import roster.model.Attribute;
import roster.model.CanonicalJson;
import roster.model.Face;
import roster.model.Failure;
import roster.model.Identifiers;
import roster.model.User;
import roster.model.UserDetail;
import roster.store.Changes;
import roster.store.Grants;
import roster.store.Users;

/**
 * The users part of a {@link TenantWriter}: creates, replaces and deletes users in batches, each change with its
 * own sequence number and change-feed row, after checking what only the whole batch can tell (duplicates,
 * unique usernames and emails, nums that never change).
 */
public final class UserWriter {

    /** A user as given, with the JSON path it came from. */
    public record Located(String path, User user) {}

    /**
     * A batch checked on its own, without the database: ids, usernames and emails in NFC, each user valid, no id
     * twice, and the identity key (see {@link Identifiers#key}) of each username and email, by user id, computed
     * once for the uniqueness check and the stored row.
     */
    record Checked(List<Located> users, Map<String, String> usernameKeys, Map<String, String> emailKeys) {}

    static Checked check(List<Located> given) {
        List<Located> batch = given.stream().map(UserWriter::normalized).toList();
        Set<String> ids = new HashSet<>();
        Map<String, String> usernameKeys = new HashMap<>(), emailKeys = new HashMap<>();
        for (Located l : batch) {
            Validation.user(l.path(), l.user());
            if (!ids.add(l.user().id())) throw new Failure.Conflict(l.path() + ".id", "user " + l.user().id() + " is listed twice");
            if (l.user().isDeletion()) continue;
            // each key is computed once: it is the costliest part of checking a user (Unicode's confusables)
            if (l.user().username() != null) usernameKeys.put(l.user().id(), Identifiers.key(l.user().username()));
            if (l.user().email() != null) emailKeys.put(l.user().id(), Identifiers.key(l.user().email()));
        }
        return new Checked(batch, usernameKeys, emailKeys);
    }

    private final TenantWriter w;
    /** Users given a new sequence number only because a department above them moved (see DepartmentWriter). */
    final Set<String> moved = new HashSet<>();

    UserWriter(TenantWriter w) {
        this.w = w;
    }

    List<User> put(List<Located> given) {
        return put(check(given));
    }

    List<User> put(Checked checked) {
        List<Located> batch = checked.users();
        List<String> ids = batch.stream().map(l -> l.user().id()).toList();
        Map<String, Users.Existing> existing = Users.existing(w.tx, w.tenantId, ids);
        for (Located l : batch) {
            Users.Existing old = existing.get(l.user().id());
            // written earlier in this same transaction: the document names the user twice (a move of its department
            // renumbers it too, and does not count)
            if (old != null && w.writtenHere(old.seq()) && !moved.remove(l.user().id())) {
                throw new Failure.Conflict(l.path() + ".id", "user " + l.user().id() + " is listed twice");
            }
        }
        List<Located> upserts = batch.stream().filter(l -> !l.user().isDeletion()).toList();
        checkReferences(upserts);
        checkUnique(upserts, Attribute.USERNAME, User::username, checked.usernameKeys());
        checkUnique(upserts, Attribute.EMAIL, User::email, checked.emailKeys());
        Map<Long, String> numOwners = numOwners(upserts);

        List<Users.Stored> rows = new ArrayList<>();
        List<String> deletions = new ArrayList<>();
        List<User> written = new ArrayList<>();
        List<Changes.Row> changes = new ArrayList<>();
        // users whose signed-in tokens (EnOS) die with this change: deleted, or their password changed
        Set<String> revoked = new HashSet<>();
        long now = w.clock.millis();
        // a write that names its actor records the fields it changed, which needs the users as they were
        Map<String, User> before = new HashMap<>();
        if (w.actor != null && !existing.isEmpty()) read(existing.keySet()).forEach(u -> before.put(u.id(), u));
        for (Located l : batch) {
            User in = l.user();
            Users.Existing old = existing.get(in.id());
            if (in.isDeletion()) {
                if (old == null) continue;
                deletions.add(in.id());
                revoked.add(in.id());
                changes.add(new Changes.Row(w.nextSequence(), in.id(), old.num(), true, now, w.actor, w.actor == null ? null : "deleted"));
                w.count(old.num(), old.status(), -1);
                w.summary().deleted++;
                continue;
            }
            User user = settle(l, old, numOwners);
            String hash = contentHash(user);
            if (old != null && old.contentHash().equals(hash) && sameTimes(in, old)) {
                w.summary().unchanged++;
                continue;
            }
            Instant at = Instant.ofEpochMilli(now);
            Instant createdAt = in.createdAt() != null ? in.createdAt() : old != null ? old.createdAt() : at;
            Instant statusChangedAt = in.statusChangedAt() != null ? in.statusChangedAt()
                    : old == null ? createdAt : old.status() != user.status() ? at : old.statusChangedAt();
            if (old != null && !Objects.equals(old.passwordHash(), user.passwordHash())) revoked.add(user.id());
            long seq = w.nextSequence();
            user = user.with().createdAt(createdAt).updatedAt(in.updatedAt() != null ? in.updatedAt() : at)
                    .statusChangedAt(statusChangedAt).sequence(seq).password(null).build();
            rows.add(new Users.Stored(user, seq, hash, checked.usernameKeys().get(user.id()), checked.emailKeys().get(user.id())));
            changes.add(new Changes.Row(seq, user.id(), user.num(), false, now, w.actor,
                    w.actor == null ? null : changedFields(before.get(user.id()), user), old == null, acsDigest(user)));
            if (old != null) w.count(old.num(), old.status(), -1);
            w.count(user.num(), user.status(), +1);
            if (old == null) w.summary().created++; else w.summary().updated++;
            written.add(user);
        }
        if (!revoked.isEmpty()) Grants.revokeSubjects(w.tx, w.tenantId, revoked);
        if (!deletions.isEmpty()) w.forgetUsers(deletions);
        Users.delete(w.tx, w.tenantId, deletions);
        Users.write(w.tx, w.tenantId, rows, existing.keySet());
        Changes.record(w.tx, w.tenantId, changes);
        return written;
    }

    /** The canonical fields that differ between two states of a user ("acs.card" for a part of acs), comma-separated. */
    static String changedFields(User old, User now) {
        if (old == null) return "created";
        var a = CanonicalJson.MAPPER.<com.fasterxml.jackson.databind.node.ObjectNode>valueToTree(comparable(old));
        var b = CanonicalJson.MAPPER.<com.fasterxml.jackson.databind.node.ObjectNode>valueToTree(comparable(now));
        Set<String> fields = new TreeSet<>();
        Set<String> names = new TreeSet<>();
        a.fieldNames().forEachRemaining(names::add);
        b.fieldNames().forEachRemaining(names::add);
        for (String name : names) {
            if (Objects.equals(a.get(name), b.get(name))) continue;
            if (name.equals("acs") && a.get(name) != null && b.get(name) != null) {
                Set<String> parts = new TreeSet<>();
                a.get(name).fieldNames().forEachRemaining(parts::add);
                b.get(name).fieldNames().forEachRemaining(parts::add);
                for (String part : parts) if (!Objects.equals(a.get(name).get(part), b.get(name).get(part))) fields.add("acs." + part);
            } else {
                fields.add(name);
            }
        }
        if (!Objects.equals(old.passwordHash(), now.passwordHash())) fields.add("password");
        return String.join(",", fields);
    }

    /** What a person changes: the times and the sequence follow from a change, and the password is compared by hash. */
    private static User comparable(User u) {
        return u.with().createdAt(null).updatedAt(null).statusChangedAt(null).sequence(null).password(null).passwordHash(null).build();
    }

    boolean delete(String id) {
        long before = w.summary().deleted;
        put(List.of(new Located("$", User.deletion(id))));
        return w.summary().deleted > before;
    }

    List<User> read(java.util.Collection<String> ids) {
        return Users.byIds(w.tx, w.tenantId, ids, UserDetail.SECRETS);
    }

    /** The user as it will be stored: num settled, lists normalised, the password hashed (or the hash kept). */
    private User settle(Located l, Users.Existing old, Map<Long, String> numOwners) {
        User in = l.user();
        long num;
        if (old != null) {
            if (in.num() != null && in.num() != old.num()) {
                throw new Failure.Conflict(l.path() + ".num", "a user's num never changes (it is " + old.num() + ")");
            }
            num = old.num();
        } else if (in.num() != null) {
            String owner = numOwners.get(in.num());
            if (owner != null && !owner.equals(in.id())) {
                throw new Failure.Conflict(l.path() + ".num", "num " + in.num() + " belongs to user " + owner);
            }
            num = in.num();
        } else {
            num = w.assignUserNum();
        }
        w.nextUserNum = TenantWriter.after(w.nextUserNum, num);
        String passwordHash = in.passwordHash();
        if (in.password() != null) {
            passwordHash = old != null && Passwords.verify(in.password(), old.passwordHash()) ? old.passwordHash() : Passwords.hash(in.password());
        } else if (passwordHash == null && old != null) {
            passwordHash = old.passwordHash(); // write-only: leaving it out keeps it
        }
        Acs acs = in.acs();
        return in.with()
                .num(num)
                .status(in.status())
                .gender(in.gender())
                .emailVerified(in.hasVerifiedEmail())
                .phoneVerified(in.hasVerifiedPhone())
                .departments(sorted(in.departments()))
                .acs(new Acs(sorted(acs.groups()), acs.card(), acs.face()))
                .password(null)
                .passwordHash(passwordHash)
                .build();
    }

    private static boolean sameTimes(User in, Users.Existing old) {
        return (in.createdAt() == null || in.createdAt().equals(old.createdAt()))
                && (in.updatedAt() == null || in.updatedAt().equals(old.updatedAt()))
                && (in.statusChangedAt() == null || in.statusChangedAt().equals(old.statusChangedAt()));
    }

    private static List<String> sorted(List<String> values) {
        return List.copyOf(new TreeSet<>(values));
    }

    /** A digest of everything a user holds but its times, so that a load of an unchanged user writes nothing. */
    static String contentHash(User settled) {
        Face face = settled.acs().face();
        User content = settled.with()
                .createdAt(null).updatedAt(null).statusChangedAt(null).sequence(null)
                .acs(new Acs(settled.acs().groups(), settled.acs().card(),
                        face == null ? null : new Face(face.type(), Keys.sha256(face.data()))))
                .build();
        try {
            byte[] json = CanonicalJson.MAPPER.writeValueAsBytes(content);
            return Base64.getEncoder().withoutPadding().encodeToString(Keys.sha256(json));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** What the change left of the card and face, for webhooks that tell an access-control change from others. */
    static String acsDigest(User settled) {
        return acsDigest(settled.acs().card(), settled.acs().face());
    }

    static String acsDigest(Integer card, Face face) {
        String text = card + "|" + (face == null ? "-" : face.type() + ":" + Base64.getEncoder().encodeToString(Keys.sha256(face.data())));
        return Base64.getEncoder().withoutPadding().encodeToString(java.util.Arrays.copyOf(Keys.sha256(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)), 12));
    }

    private void checkReferences(List<Located> users) {
        for (Located l : users) {
            User u = l.user();
            for (int i = 0; i < u.departments().size(); i++) w.requireDepartment(u.departments().get(i), l.path() + ".departments[" + i + "]");
            for (int i = 0; i < u.acs().groups().size(); i++) w.requireGroup(u.acs().groups().get(i), l.path() + ".acs.groups[" + i + "]");
            if (!u.administersWholeTenant()) {
                for (int i = 0; i < u.adminOf().size(); i++) w.requireDepartment(u.adminOf().get(i), l.path() + ".admin_of[" + i + "]");
            }
        }
    }

    /**
     * A username or email may belong to one user of the tenant; users of this batch may also hand theirs on. Two
     * values that look alike (case, full-width forms, confusable letters, see {@link Identifiers#key}) are one.
     */
    private void checkUnique(List<Located> users, Attribute attribute, Function<User, String> value, Map<String, String> keys) {
        String field = attribute.name().toLowerCase(java.util.Locale.ROOT);
        Map<String, Located> claimed = new LinkedHashMap<>();
        for (Located l : users) {
            String v = value.apply(l.user());
            if (v == null) continue;
            Located other = claimed.put(keys.get(l.user().id()), l);
            if (other != null) {
                throw new Failure.Conflict(l.path() + "." + field, field + " " + v + " is also given to user " + other.user().id()
                        + (v.equals(value.apply(other.user())) ? "" : " (as a look-alike)"));
            }
        }
        if (claimed.isEmpty()) return;
        Set<String> inBatch = new HashSet<>();
        users.forEach(l -> inBatch.add(l.user().id()));
        Users.keyHolders(w.tx, w.tenantId, attribute, claimed.keySet()).forEach((key, holder) -> {
            Located claimant = claimed.get(key);
            if (!holder.equals(claimant.user().id()) && !inBatch.contains(holder)) {
                throw new Failure.Conflict(claimant.path() + "." + field,
                        field + " " + value.apply(claimant.user()) + " belongs to user " + holder + ", or looks like one that does");
            }
        });
    }

    /** Ids, usernames and emails are stored in Unicode NFC, so composed and decomposed forms are one value. */
    private static Located normalized(Located l) {
        User u = l.user();
        String id = Identifiers.nfc(u.id()), username = Identifiers.nfc(u.username()), email = Identifiers.nfc(u.email());
        if (Objects.equals(id, u.id()) && Objects.equals(username, u.username()) && Objects.equals(email, u.email())) return l;
        return new Located(l.path(), u.with().id(id).username(username).email(email).build());
    }

    private Map<Long, String> numOwners(List<Located> users) {
        List<Long> nums = users.stream().map(l -> l.user().num()).filter(Objects::nonNull).toList();
        if (nums.isEmpty()) return Map.of();
        Map<Long, String> owners = Users.numOwners(w.tx, w.tenantId, nums);
        Map<Long, String> inBatch = new HashMap<>();
        for (Located l : users) {
            Long num = l.user().num();
            if (num == null) continue;
            String other = inBatch.put(num, l.user().id());
            if (other != null && !other.equals(l.user().id())) {
                throw new Failure.Conflict(l.path() + ".num", "num " + num + " is also given to user " + other);
            }
        }
        return owners;
    }
}
