package roster.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import roster.model.Acs;
import roster.model.CanonicalJson;
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
            + "status_changed_at) VALUES (" + "?, ".repeat(33) + "?) "
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
            + "status_changed_at = excluded.status_changed_at";

    private UserRows() {}

    /**
     * Writes users (insert or replace) with their memberships and faces; existing tells which rows were there.
     * Plain JDBC batches rather than JDBI's: JDBI resolves an argument binder per value, which took more time
     * than SQLite itself when loading a million users (see bench/README.md).
     */
    static void upsert(Tx tx, String tenantId, List<Users.Stored> rows, java.util.Set<String> existing) {
        if (rows.isEmpty()) return;
        List<String> replaced = rows.stream().map(r -> r.user().id()).filter(existing::contains).toList();
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
                        u.hasVerifiedPhone() ? 1 : 0, json(u.identities().isEmpty() ? null : u.identities()),
                        json(u.customData()), json(u.adminOf().isEmpty() ? null : u.adminOf()), u.passwordHash(),
                        u.acs().card(), face == null ? null : face.type().wire(), u.acs().groups().isEmpty() ? 0 : 1,
                        row.contentHash(), u.createdAt().toEpochMilli(), u.updatedAt().toEpochMilli(),
                        u.statusChangedAt().toEpochMilli()};
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

    static void delete(Tx tx, String tenantId, List<String> ids) {
        if (ids.isEmpty()) return;
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

    /** Maps one row selected with COLUMNS; memberships are filled in by read(). */
    static User map(ResultSet rs) throws SQLException {
        String faceType = rs.getString("face_type");
        String birthdate = rs.getString("birthdate");
        int card = rs.getInt("acs_card");
        Integer cardOrNull = rs.wasNull() ? null : card;
        return new User(
                rs.getString("id"), rs.getLong("num"), rs.getString("username"), rs.getString("name"),
                rs.getString("nickname"), rs.getString("email"), rs.getString("phone"),
                rs.getString("phone_country_code"), Gender.fromWire(rs.getString("gender")), rs.getString("avatar"),
                Status.fromWire(rs.getString("status")), birthdate == null ? null : LocalDate.parse(birthdate),
                rs.getString("country"), rs.getString("province"), rs.getString("city"), rs.getString("address"),
                rs.getString("street_address"), rs.getString("postal_code"), rs.getString("external_id"),
                rs.getInt("email_verified") == 1, rs.getInt("phone_verified") == 1, List.of(),
                parse(rs.getString("identities"), IDENTITIES), parseObject(rs.getString("custom_data")), null,
                rs.getString("password_hash"), parse(rs.getString("admin_of"), STRINGS),
                new Acs(List.of(), cardOrNull, faceType == null ? null : new Face(Face.Type.fromWire(faceType), null)),
                Instant.ofEpochMilli(rs.getLong("created_at")), Instant.ofEpochMilli(rs.getLong("updated_at")),
                Instant.ofEpochMilli(rs.getLong("status_changed_at")), rs.getLong("seq"), null);
    }

    private static final TypeReference<List<Identity>> IDENTITIES = new TypeReference<>() {};
    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {};

    private static <T> T parse(String json, TypeReference<T> type) {
        if (json == null) return null;
        try {
            return CanonicalJson.MAPPER.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("corrupt JSON column", e);
        }
    }

    private static ObjectNode parseObject(String json) {
        if (json == null) return null;
        try {
            return (ObjectNode) CanonicalJson.MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("corrupt JSON column", e);
        }
    }

    static String json(Object value) {
        if (value == null) return null;
        try {
            return CanonicalJson.MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
