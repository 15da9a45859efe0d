package roster.dialect.feishu;

import java.util.Arrays;
import java.util.Optional;

/** How a call names users: user_id_type. Naming changes, order and visibility do not. */
enum UserIdType {
    OPEN_ID("open_id"), UNION_ID("union_id"), USER_ID("user_id");

    /** user_id is the tenant's own id: an app sees it only with this scope. */
    static final String USER_ID_SCOPE = "contact:user.employee_id:readonly";

    final String wire;

    UserIdType(String wire) {
        this.wire = wire;
    }

    static Optional<UserIdType> fromWire(String value) {
        return Arrays.stream(values()).filter(t -> t.wire.equals(value)).findFirst();
    }
}
