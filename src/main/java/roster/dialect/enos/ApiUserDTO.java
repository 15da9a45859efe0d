package roster.dialect.enos;

import java.util.EnumSet;
import java.util.Set;
import roster.model.Attribute;
import roster.model.User;

/** A user as the App Portal lists it. Absent values are empty strings, as in EnOS's own answers. */
record ApiUserDTO(String userId, String email, String phoneArea, String phone, String name) {

    /** What a listed user shows, besides its id: all a page reads of each row. */
    static final Set<Attribute> SHOWN = EnumSet.of(Attribute.EMAIL, Attribute.PHONE_COUNTRY_CODE, Attribute.PHONE, Attribute.NAME);

    static ApiUserDTO of(User user) {
        String code = user.phoneCountryCode();
        String area = code == null ? "" : code.startsWith("+") ? code.substring(1) : code;
        return new ApiUserDTO(user.id(), orEmpty(user.email()), area, orEmpty(user.phone()), orEmpty(user.name()));
    }

    private static String orEmpty(String value) {
        return value == null ? "" : value;
    }
}
