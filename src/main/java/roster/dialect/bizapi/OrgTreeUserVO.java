package roster.dialect.bizapi;

import roster.model.User;

/** A user as the organisation user list sends it; lastSequence is the sequence of the user's latest change. */
record OrgTreeUserVO(long userId, String nickname, String account, String avatar, int gender, long lastSequence) {

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
