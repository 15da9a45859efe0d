package roster.dialect.bizapi;

import java.util.EnumSet;
import java.util.Set;
import roster.model.Attribute;
import roster.model.User;

/** A user as the organisation user list sends it; lastSequence is the sequence of the user's latest change. */
record OrgTreeUserVO(long userId, String nickname, String account, String avatar, int gender, long lastSequence) {

    /** What it shows of a user besides num and sequence: all a page of 1000 reads. */
    static final Set<Attribute> ATTRIBUTES = EnumSet.of(Attribute.NICKNAME, Attribute.USERNAME, Attribute.AVATAR, Attribute.GENDER);

    static OrgTreeUserVO of(User user) {
        int gender = switch (user.gender()) {
            case MALE -> 1;
            case FEMALE -> 2;
            case UNKNOWN -> 0;
        };
        return new OrgTreeUserVO(user.num(), orEmpty(user.nickname()), orEmpty(user.username()), orEmpty(user.avatar()),
                gender, user.sequence());
    }

    private static String orEmpty(String value) {
        return value == null ? "" : value;
    }
}
