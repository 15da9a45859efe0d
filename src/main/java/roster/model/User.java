package roster.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * The canonical user, in the field names of the fixture format. Every dialect's user is a view of this record.
 * {@code password} is write-only (hashed on write, never read back); {@code passwordHash} only travels in an
 * export made with secrets; {@code sequence} is the number of the user's latest change and is never read from input.
 */
@com.fasterxml.jackson.annotation.JsonIgnoreProperties(value = "sequence", allowGetters = true)
public record User(
        String id,
        Long num,
        String username,
        String name,
        String nickname,
        String email,
        String phone,
        String phoneCountryCode,
        Gender gender,
        String avatar,
        Status status,
        LocalDate birthdate,
        String country,
        String province,
        String city,
        String address,
        String streetAddress,
        String postalCode,
        String externalId,
        Boolean emailVerified,
        Boolean phoneVerified,
        List<String> departments,
        List<Identity> identities,
        ObjectNode customData,
        @JsonProperty(access = JsonProperty.Access.WRITE_ONLY) String password,
        String passwordHash,
        List<String> adminOf,
        Acs acs,
        Instant createdAt,
        Instant updatedAt,
        Instant statusChangedAt,
        Long sequence,
        Boolean deleted) {

    /** The fixture's {"id": …, "deleted": true}: removes the user. */
    public static User deletion(String id) {
        return new User(id, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, true);
    }

    public boolean hasVerifiedEmail() {
        return Boolean.TRUE.equals(emailVerified);
    }

    public boolean hasVerifiedPhone() {
        return Boolean.TRUE.equals(phoneVerified);
    }

    public Gender gender() {
        return gender == null ? Gender.UNKNOWN : gender;
    }

    public Status status() {
        return status == null ? Status.ACTIVE : status;
    }

    public List<String> departments() {
        return departments == null ? List.of() : departments;
    }

    public List<Identity> identities() {
        return identities == null ? List.of() : identities;
    }

    public List<String> adminOf() {
        return adminOf == null ? List.of() : adminOf;
    }

    public Acs acs() {
        return acs == null ? Acs.NONE : acs;
    }

    @com.fasterxml.jackson.annotation.JsonIgnore
    public boolean isDeletion() {
        return Boolean.TRUE.equals(deleted);
    }

    /** Administrators (EnOS) administer the departments in admin_of, "*" meaning the whole tenant. */
    @com.fasterxml.jackson.annotation.JsonIgnore
    public boolean isAdministrator() {
        return !adminOf().isEmpty();
    }

    public boolean administersWholeTenant() {
        return adminOf().contains("*");
    }

    /** The same user without what must never leave the server unless secrets are asked for. */
    public User withoutSecrets() {
        return passwordHash == null && password == null ? this : with().password(null).passwordHash(null).build();
    }

    public Builder with() {
        return new Builder(this);
    }

    /** A new user with only its id, to fill in with the builder. */
    public static Builder withId(String id) {
        return deletion(id).with().deleted(null);
    }

    /** A user with some fields set or changed: the typed way every front end writes a user. */
    public static final class Builder {
        private String id, username, name, nickname, email, phone, phoneCountryCode, avatar, country, province, city,
                address, streetAddress, postalCode, externalId, password, passwordHash;
        private Long num, sequence;
        private Gender gender;
        private Status status;
        private LocalDate birthdate;
        private Boolean emailVerified, phoneVerified, deleted;
        private List<String> departments, adminOf;
        private List<Identity> identities;
        private ObjectNode customData;
        private Acs acs;
        private Instant createdAt, updatedAt, statusChangedAt;

        private Builder(User u) {
            id = u.id; num = u.num; username = u.username; name = u.name; nickname = u.nickname; email = u.email;
            phone = u.phone; phoneCountryCode = u.phoneCountryCode; gender = u.gender; avatar = u.avatar;
            status = u.status; birthdate = u.birthdate; country = u.country; province = u.province; city = u.city;
            address = u.address; streetAddress = u.streetAddress; postalCode = u.postalCode; externalId = u.externalId;
            emailVerified = u.emailVerified; phoneVerified = u.phoneVerified; departments = u.departments;
            identities = u.identities; customData = u.customData; password = u.password; passwordHash = u.passwordHash;
            adminOf = u.adminOf; acs = u.acs; createdAt = u.createdAt; updatedAt = u.updatedAt;
            statusChangedAt = u.statusChangedAt; sequence = u.sequence; deleted = u.deleted;
        }

        public Builder id(String v) { id = v; return this; }
        public Builder num(Long v) { num = v; return this; }
        public Builder username(String v) { username = v; return this; }
        public Builder name(String v) { name = v; return this; }
        public Builder nickname(String v) { nickname = v; return this; }
        public Builder email(String v) { email = v; return this; }
        public Builder phone(String v) { phone = v; return this; }
        public Builder phoneCountryCode(String v) { phoneCountryCode = v; return this; }
        public Builder gender(Gender v) { gender = v; return this; }
        public Builder avatar(String v) { avatar = v; return this; }
        public Builder status(Status v) { status = v; return this; }
        public Builder birthdate(LocalDate v) { birthdate = v; return this; }
        public Builder country(String v) { country = v; return this; }
        public Builder province(String v) { province = v; return this; }
        public Builder city(String v) { city = v; return this; }
        public Builder address(String v) { address = v; return this; }
        public Builder streetAddress(String v) { streetAddress = v; return this; }
        public Builder postalCode(String v) { postalCode = v; return this; }
        public Builder externalId(String v) { externalId = v; return this; }
        public Builder emailVerified(Boolean v) { emailVerified = v; return this; }
        public Builder phoneVerified(Boolean v) { phoneVerified = v; return this; }
        public Builder departments(List<String> v) { departments = v; return this; }
        public Builder identities(List<Identity> v) { identities = v; return this; }
        public Builder customData(ObjectNode v) { customData = v; return this; }
        public Builder password(String v) { password = v; return this; }
        public Builder passwordHash(String v) { passwordHash = v; return this; }
        public Builder adminOf(List<String> v) { adminOf = v; return this; }
        public Builder acs(Acs v) { acs = v; return this; }
        public Builder createdAt(Instant v) { createdAt = v; return this; }
        public Builder updatedAt(Instant v) { updatedAt = v; return this; }
        public Builder statusChangedAt(Instant v) { statusChangedAt = v; return this; }
        public Builder sequence(Long v) { sequence = v; return this; }
        private Builder deleted(Boolean v) { deleted = v; return this; }

        public User build() {
            return new User(id, num, username, name, nickname, email, phone, phoneCountryCode, gender, avatar, status,
                    birthdate, country, province, city, address, streetAddress, postalCode, externalId, emailVerified,
                    phoneVerified, departments, identities, customData, password, passwordHash, adminOf, acs,
                    createdAt, updatedAt, statusChangedAt, sequence, deleted);
        }
    }
}
