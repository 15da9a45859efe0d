package roster.store;

import com.fasterxml.jackson.core.type.TypeReference;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import roster.model.Acs;
import roster.model.Attribute;
import roster.model.Face;
import roster.model.Gender;
import roster.model.Identity;
import roster.model.Status;
import roster.model.User;
import roster.model.UserDetail;

/** How a canonical user is stored: the users row, its memberships and its face, and the way back. */
final class UserRows {

    static final String COLUMNS = "u.id, u.num, u.seq, u.username, u.name, u.nickname, u.email, u.phone, "
            + "u.phone_country_code, u.gender, u.avatar, u.status, u.birthdate, u.country, u.province, u.city, "
            + "u.address, u.street_address, u.postal_code, u.external_id, u.email_verified, u.phone_verified, "
            + "u.identities, u.custom_data, u.admin_of, u.password_hash, u.acs_card, u.face_type, "
            + "u.created_at, u.updated_at, u.status_changed_at";

    private static final String UPSERT = "INSERT INTO users (tenant_id, id, num, seq, username, name, nickname, email, "
            + "phone, phone_country_code, gender, avatar, status, birthdate, country, province, city, address, "
            + "street_address, postal_code, external_id, email_verified, phone_verified, identities, custom_data, "
            + "admin_of, password_hash, acs_card, face_type, acs_member, content_hash, created_at, updated_at, "
            + "status_changed_at, username_key, email_key) VALUES (" + "?, ".repeat(35) + "?) "
            + "ON CONFLICT (tenant_id, id) DO UPDATE SET num = excluded.num, seq = excluded.seq, "
            + "username = excluded.username, name = excluded.name, nickname = excluded.nickname, email = excluded.email, "
            + "phone = excluded.phone, phone_country_code = excluded.phone_country_code, gender = excluded.gender, "
            + "avatar = excluded.avatar, status = excluded.status, birthdate = excluded.birthdate, "
            + "country = excluded.country, province = excluded.province, city = excluded.city, "
            + "address = excluded.address, street_address = excluded.street_address, "
            + "postal_code = excluded.postal_code, external_id = excluded.external_id, "
            + "email_verified = excluded.email_verified, phone_verified = excluded.phone_verified, "
            + "identities = excluded.identities, custom_data = excluded.custom_data, admin_of = excluded.admin_of, "
            + "password_hash = excluded.password_hash, acs_card = excluded.acs_card, face_type = excluded.face_type, "
            + "acs_member = excluded.acs_member, content_hash = excluded.content_hash, "
            + "created_at = excluded.created_at, updated_at = excluded.updated_at, "
            + "status_changed_at = excluded.status_changed_at, username_key = excluded.username_key, email_key = excluded.email_key";

    private UserRows() {}

    /**
     * Writes users (insert or replace) with their memberships and faces; existing tells which rows were there.
     * Plain JDBC batches rather than JDBI's: JDBI resolves an argument binder per value, which took more time
     * than SQLite itself when loading a million users (see bench/README.md).
     */
    static void upsert(Tx tx, String tenantId, List<Users.Stored> rows, java.util.Set<String> existing) {
        if (rows.isEmpty()) return;
        List<String> replaced = rows.stream().map(r -> r.user().id()).filter(existing::contains).toList();
        touchChangedGroups(tx, tenantId, rows, replaced);
        deleteDetails(tx, tenantId, replaced);
        Connection c = tx.h.getConnection();
        try (PreparedStatement users = c.prepareStatement(UPSERT);
             PreparedStatement departments = c.prepareStatement("INSERT INTO user_departments (tenant_id, user_id, dept_id) VALUES (?, ?, ?)");
             PreparedStatement groups = c.prepareStatement("INSERT INTO user_groups (tenant_id, user_id, group_id) VALUES (?, ?, ?)");
             PreparedStatement faces = c.prepareStatement("INSERT INTO user_faces (tenant_id, user_id, type, data) VALUES (?, ?, ?, ?)")) {
            boolean anyDepartment = false, anyGroup = false, anyFace = false;
            for (Users.Stored row : rows) {
                User u = row.user();
                Face face = u.acs().face();
                Object[] values = {tenantId, u.id(), u.num(), row.seq(), u.username(), u.name(), u.nickname(), u.email(),
                        u.phone(), u.phoneCountryCode(), u.gender().wire(), u.avatar(), u.status().wire(),
                        u.birthdate() == null ? null : u.birthdate().toString(), u.country(), u.province(), u.city(),
                        u.address(), u.streetAddress(), u.postalCode(), u.externalId(), u.hasVerifiedEmail() ? 1 : 0,
                        u.hasVerifiedPhone() ? 1 : 0, JsonColumns.write(u.identities().isEmpty() ? null : u.identities()),
                        JsonColumns.write(u.customData()), JsonColumns.write(u.adminOf().isEmpty() ? null : u.adminOf()), u.passwordHash(),
                        u.acs().card(), face == null ? null : face.type().wire(), u.acs().groups().isEmpty() ? 0 : 1,
                        row.contentHash(), u.createdAt().toEpochMilli(), u.updatedAt().toEpochMilli(),
                        u.statusChangedAt().toEpochMilli(), row.usernameKey(), row.emailKey()};
                for (int i = 0; i < values.length; i++) users.setObject(i + 1, values[i]);
                users.addBatch();
                for (String d : u.departments()) {
                    add(departments, tenantId, u.id(), d);
                    anyDepartment = true;
                }
                for (String g : u.acs().groups()) {
                    add(groups, tenantId, u.id(), g);
                    anyGroup = true;
                }
                if (face != null) {
                    add(faces, tenantId, u.id(), face.type().wire(), face.data());
                    anyFace = true;
                }
            }
            users.executeBatch();
            if (anyDepartment) departments.executeBatch();
            if (anyGroup) groups.executeBatch();
            if (anyFace) faces.executeBatch();
        } catch (SQLException e) {
            throw new org.jdbi.v3.core.statement.UnableToExecuteStatementException(e, null);
        }
    }

    private static void add(PreparedStatement statement, Object... values) throws SQLException {
        for (int i = 0; i < values.length; i++) statement.setObject(i + 1, values[i]);
        statement.addBatch();
    }

    /** The groups a user joins or leaves take a new version (SCIM's Group ETag); one read of the old memberships. */
    private static void touchChangedGroups(Tx tx, String tenantId, List<Users.Stored> rows, List<String> replaced) {
        Map<String, List<String>> before = replaced.isEmpty() ? Map.of() : memberships(tx, "user_groups", "group_id", tenantId, replaced);
        Set<String> changed = new HashSet<>();
        for (Users.Stored row : rows) {
            List<String> now = row.user().acs().groups();
            List<String> was = before.getOrDefault(row.user().id(), List.of());
            for (String g : now) if (!was.contains(g)) changed.add(g);
            for (String g : was) if (!now.contains(g)) changed.add(g);
        }
        AccessGroups.touch(tx, tenantId, changed);
    }

    static void delete(Tx tx, String tenantId, List<String> ids) {
        if (ids.isEmpty()) return;
        Set<String> left = new HashSet<>();
        memberships(tx, "user_groups", "group_id", tenantId, ids).values().forEach(left::addAll);
        AccessGroups.touch(tx, tenantId, left);
        deleteDetails(tx, tenantId, ids);
        tx.h.createUpdate("DELETE FROM users WHERE tenant_id = :t AND id IN (<ids>)").bind("t", tenantId).bindList("ids", ids).execute();
    }

    private static void deleteDetails(Tx tx, String tenantId, List<String> ids) {
        if (ids.isEmpty()) return;
        for (String table : List.of("user_departments", "user_groups", "user_faces")) {
            tx.h.createUpdate("DELETE FROM " + table + " WHERE tenant_id = :t AND user_id IN (<ids>)")
                    .bind("t", tenantId).bindList("ids", ids).execute();
        }
    }

    /** Maps users rows (selected with COLUMNS) and fills in memberships and, as detail asks, faces and hashes. */
    static List<User> read(Tx tx, String tenantId, List<User> rows, UserDetail detail) {
        if (rows.isEmpty()) return rows;
        if (detail == UserDetail.ROW) return rows.stream().map(row -> row.passwordHash() == null ? row : row.with().passwordHash(null).build()).toList();
        List<String> ids = rows.stream().map(User::id).toList();
        Map<String, List<String>> departments = memberships(tx, "user_departments", "dept_id", tenantId, ids);
        Map<String, List<String>> groups = memberships(tx, "user_groups", "group_id", tenantId, ids);
        Map<String, byte[]> faces = new HashMap<>();
        if (detail != UserDetail.PROFILE && rows.stream().anyMatch(u -> u.acs().face() != null)) {
            tx.h.createQuery("SELECT user_id, data FROM user_faces WHERE tenant_id = :t AND user_id IN (<ids>)")
                    .bind("t", tenantId).bindList("ids", ids)
                    .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getBytes(2)))
                    .forEach(e -> faces.put(e.getKey(), e.getValue()));
        }
        List<User> out = new ArrayList<>(rows.size());
        for (User row : rows) {
            Face face = row.acs().face();
            if (face != null && detail != UserDetail.PROFILE) face = new Face(face.type(), faces.get(row.id()));
            out.add(row.with()
                    .departments(departments.getOrDefault(row.id(), List.of()))
                    .acs(new Acs(groups.getOrDefault(row.id(), List.of()), row.acs().card(), face))
                    .passwordHash(detail == UserDetail.SECRETS ? row.passwordHash() : null)
                    .build());
        }
        return out;
    }

    private static Map<String, List<String>> memberships(Tx tx, String table, String column, String tenantId, List<String> ids) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        tx.h.createQuery("SELECT user_id, " + column + " FROM " + table + " WHERE tenant_id = :t AND user_id IN (<ids>) ORDER BY user_id, " + column)
                .bind("t", tenantId).bindList("ids", ids)
                .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getString(2)))
                .forEach(e -> out.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue()));
        return out;
    }

    /**
     * Maps one row selected with COLUMNS; memberships are filled in by read(). Columns are read by position, in
     * COLUMNS' order: a lookup by name walks the column names for every value, a tenth of a page's time.
     */
    static User map(ResultSet rs) throws SQLException {
        String birthdate = rs.getString(13);
        return new User(
                rs.getString(1), rs.getLong(2), rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7),
                rs.getString(8), rs.getString(9), Gender.fromWire(rs.getString(10)), rs.getString(11),
                Status.fromWire(rs.getString(12)), birthdate == null ? null : LocalDate.parse(birthdate),
                rs.getString(14), rs.getString(15), rs.getString(16), rs.getString(17), rs.getString(18),
                rs.getString(19), rs.getString(20), rs.getInt(21) == 1, rs.getInt(22) == 1, List.of(),
                JsonColumns.read(rs.getString(23), IDENTITIES), JsonColumns.readObject(rs.getString(24)), null, rs.getString(26),
                JsonColumns.read(rs.getString(25), JsonColumns.STRINGS), new Acs(List.of(), card(rs, 27), faceType(rs, 28)),
                Instant.ofEpochMilli(rs.getLong(29)),
                Instant.ofEpochMilli(rs.getLong(30)), Instant.ofEpochMilli(rs.getLong(31)), rs.getLong(3), null);
    }

    private static Integer card(ResultSet rs, int column) throws SQLException {
        int card = rs.getInt(column);
        return rs.wasNull() ? null : card;
    }

    /** The face's type alone: its bytes are read only when asked for. */
    private static Face faceType(ResultSet rs, int column) throws SQLException {
        String type = rs.getString(column);
        return type == null ? null : new Face(Face.Type.fromWire(type), null);
    }

    /**
     * The columns of a page that shows only some attributes, and the way back: users that carry their id, num and
     * sequence, those attributes, and nothing else (no memberships, no JSON columns parsed). A list a client
     * pages through by the thousand (bizapi) or by the fifty (feishu) reads a few short columns instead of all 31.
     */
    record Projection(String columns, List<Attribute> attributes) {

        static Projection of(Set<Attribute> shown) {
            List<Attribute> attributes = shown.stream()
                    .filter(a -> a != Attribute.ID && a != Attribute.NUM && a != Attribute.SEQUENCE).sorted().toList();
            StringBuilder columns = new StringBuilder("u.id, u.num, u.seq");
            for (Attribute a : attributes) columns.append(", ").append(FilterSql.column(a));
            return new Projection(columns.toString(), attributes);
        }

        User map(ResultSet rs) throws SQLException {
            User.Builder user = User.withId(rs.getString(1)).num(rs.getLong(2)).sequence(rs.getLong(3));
            Integer card = null;
            Face face = null;
            for (int i = 0; i < attributes.size(); i++) {
                int c = i + 4;
                switch (attributes.get(i)) {
                    case USERNAME -> user.username(rs.getString(c));
                    case NAME -> user.name(rs.getString(c));
                    case NICKNAME -> user.nickname(rs.getString(c));
                    case EMAIL -> user.email(rs.getString(c));
                    case PHONE -> user.phone(rs.getString(c));
                    case PHONE_COUNTRY_CODE -> user.phoneCountryCode(rs.getString(c));
                    case EXTERNAL_ID -> user.externalId(rs.getString(c));
                    case AVATAR -> user.avatar(rs.getString(c));
                    case COUNTRY -> user.country(rs.getString(c));
                    case PROVINCE -> user.province(rs.getString(c));
                    case CITY -> user.city(rs.getString(c));
                    case ADDRESS -> user.address(rs.getString(c));
                    case STREET_ADDRESS -> user.streetAddress(rs.getString(c));
                    case POSTAL_CODE -> user.postalCode(rs.getString(c));
                    case STATUS -> user.status(Status.fromWire(rs.getString(c)));
                    case GENDER -> user.gender(Gender.fromWire(rs.getString(c)));
                    case CREATED_AT -> user.createdAt(Instant.ofEpochMilli(rs.getLong(c)));
                    case UPDATED_AT -> user.updatedAt(Instant.ofEpochMilli(rs.getLong(c)));
                    case STATUS_CHANGED_AT -> user.statusChangedAt(Instant.ofEpochMilli(rs.getLong(c)));
                    case ACS_CARD -> card = card(rs, c);
                    case ACS_FACE -> face = faceType(rs, c);
                    case ID, NUM, SEQUENCE -> throw new IllegalStateException("always selected");
                }
            }
            if (card != null || face != null) user.acs(new Acs(List.of(), card, face));
            return user.build();
        }
    }

    private static final TypeReference<List<Identity>> IDENTITIES = new TypeReference<>() {};

    /** A stored JSON list of strings (admin_of); empty when there is none. */
    static List<String> parseList(String json) {
        List<String> list = JsonColumns.read(json, JsonColumns.STRINGS);
        return list == null ? List.of() : list;
    }
}
