package roster.dialect.enos;

import roster.model.User;

/** A user as the App Portal lists it. Absent values are empty strings, as in EnOS's own answers. */
record ApiUserDTO(String userId, String email, String phoneArea, String phone, String name) {

    static ApiUserDTO of(User user) {
        String area = user.phoneCountryCode() == null ? "" : user.phoneCountryCode().replaceFirst("^\\+", "");
        return new ApiUserDTO(user.id(), orEmpty(user.email()), area, orEmpty(user.phone()), orEmpty(user.name()));
    }

    private static String orEmpty(String value) {
        return value == null ? "" : value;
    }
}
