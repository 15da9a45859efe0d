package roster.dialect.authing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import roster.crypto.Keys;
import roster.model.Gender;
import roster.model.Identity;
import roster.model.Status;
import roster.model.User;

/**
 * Authing's UserDto: every field of the seed that the canonical user holds (login counters, last login and
 * password dates are not kept, so they are left out). departmentIds, identities and customData come when asked.
 */
record UserDto(
        String userId,
        String createdAt,
        String updatedAt,
        String status,
        String email,
        String phone,
        String phoneCountryCode,
        String username,
        String name,
        String nickname,
        String photo,
        String gender,
        Boolean emailVerified,
        Boolean phoneVerified,
        String birthdate,
        String country,
        String province,
        String city,
        String address,
        String streetAddress,
        String postalCode,
        String externalId,
        List<String> departmentIds,
        List<IdentityDto> identities,
        ObjectNode customData,
        String statusChangedAt) {

    /** What a read adds to the plain profile. */
    record Extras(boolean customData, boolean identities, boolean departmentIds) {
        static final Extras ALL = new Extras(true, true, true);
    }

    record IdentityDto(String identityId, String extIdpId, String provider, String type, String userIdInIdp,
                       List<String> originConnIds) {}

    /**
     * The providers the Java SDK's IdentityDto.Provider enum knows. It turns a whole answer into null on an
     * unknown enum value, so any other provider is sent without its name.
     */
    static final Set<String> SDK_PROVIDERS = Set.of("oidc", "oauth2", "saml", "ldap", "ad", "cas", "azure-ad", "wechat",
            "google", "qq", "wechatwork", "dingtalk", "weibo", "github", "alipay", "apple", "baidu", "lark", "gitlab",
            "twitter", "facebook", "slack", "linkedin", "yidun", "qingcloud", "gitee", "instagram", "welink", "huawei",
            "honor", "xiaomi", "oppo", "aws", "amazon", "douyin", "kuaishou", "line", "sdbz");

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    static UserDto from(User u, Extras extras, byte[] identityKey) {
        return new UserDto(u.id(), time(u.createdAt()), time(u.updatedAt()), status(u.status()), u.email(), u.phone(),
                u.phoneCountryCode(), u.username(), u.name(), u.nickname(), u.avatar(), gender(u.gender()),
                u.hasVerifiedEmail(), u.hasVerifiedPhone(), u.birthdate() == null ? null : u.birthdate().toString(),
                u.country(), u.province(), u.city(), u.address(), u.streetAddress(), u.postalCode(), u.externalId(),
                extras.departmentIds() ? u.departments() : null,
                extras.identities() ? identities(u, identityKey) : null,
                extras.customData() ? (u.customData() == null ? AuthingJson.MAPPER.createObjectNode() : u.customData()) : null,
                time(u.statusChangedAt()));
    }

    private static List<IdentityDto> identities(User u, byte[] key) {
        List<IdentityDto> out = new ArrayList<>();
        for (Identity i : u.identities()) {
            String provider = i.provider() != null && SDK_PROVIDERS.contains(i.provider()) ? i.provider() : null;
            out.add(new IdentityDto(identityId(key, u.id(), i), i.extIdpId(), provider, i.type(), i.userIdInIdp(), List.of()));
        }
        return out;
    }

    /** A stable id in Authing's shape (24 hex digits) for a link the canonical model keeps without an id. */
    private static String identityId(byte[] key, String userId, Identity i) {
        String text = userId + "\n" + i.provider() + "\n" + i.type() + "\n" + i.userIdInIdp() + "\n" + i.extIdpId();
        return HexFormat.of().formatHex(Keys.hmacSha256(key, text.getBytes(StandardCharsets.UTF_8)), 0, 12);
    }

    /**
     * TIME's text, written digit by digit: a page of 50 users formats 150 times, and the pattern formatter took a
     * tenth of the page's CPU. Years past 9999 (never stored) go through the formatter.
     */
    static String time(Instant t) {
        if (t == null) return null;
        LocalDateTime d = LocalDateTime.ofEpochSecond(t.getEpochSecond(), t.getNano(), ZoneOffset.UTC);
        if (d.getYear() < 0 || d.getYear() > 9999) return TIME.format(t);
        char[] text = "0000-00-00T00:00:00.000Z".toCharArray();
        digits(text, 0, 4, d.getYear());
        digits(text, 5, 2, d.getMonthValue());
        digits(text, 8, 2, d.getDayOfMonth());
        digits(text, 11, 2, d.getHour());
        digits(text, 14, 2, d.getMinute());
        digits(text, 17, 2, d.getSecond());
        digits(text, 20, 3, d.getNano() / 1_000_000);
        return new String(text);
    }

    private static void digits(char[] text, int at, int width, int value) {
        for (int i = at + width - 1; i >= at; i--, value /= 10) text[i] = (char) ('0' + value % 10);
    }

    // ---- Authing's enum values, both ways

    static String status(Status s) {
        return switch (s) {
            case ACTIVE -> "Activated";
            case SUSPENDED -> "Suspended";
            case RESIGNED -> "Resigned";
            case ARCHIVED -> "Archived";
            case DEACTIVATED -> "Deactivated";
        };
    }

    static Status status(String wire, String path) {
        for (Status s : Status.values()) {
            if (status(s).equalsIgnoreCase(wire)) return s;
        }
        throw AuthingError.BAD_REQUEST.refuse(path + " must be one of Activated, Suspended, Resigned, Archived, Deactivated");
    }

    /** female is W, as Authing's console writes it; the SDK also knows F, which is read as female too. */
    static String gender(Gender g) {
        return switch (g) {
            case MALE -> "M";
            case FEMALE -> "W";
            case UNKNOWN -> "U";
        };
    }

    static Gender gender(String wire, String path) {
        return switch (wire) {
            case "M" -> Gender.MALE;
            case "W", "F" -> Gender.FEMALE;
            case "U" -> Gender.UNKNOWN;
            default -> throw AuthingError.BAD_REQUEST.refuse(path + " must be one of M, W, F, U");
        };
    }
}
