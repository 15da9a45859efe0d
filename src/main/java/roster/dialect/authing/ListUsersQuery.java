package roster.dialect.authing;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import roster.model.Attribute;
import roster.model.Order;
import roster.model.Status;
import roster.model.UserFilter.Comparison;
import roster.model.Times;
import roster.model.UserFilter;

/**
 * One list-users query, from either form: GET with the seed's parameters (the SDK's listUsersLegacy) or POST
 * with keywords, advancedFilter and options (the SDK's listUsers). Both translate into the core's one filter, so
 * the same query gets the same order and totalCount either way. Authing's field and operator words stay here.
 */
record ListUsersQuery(UserFilter filter, Order order, int page, int limit, UserDto.Extras extras) {

    static final int DEFAULT_LIMIT = 10;
    static final int MAX_LIMIT = 50;
    /** Pages beyond this are refused rather than computed: page × limit stays far from overflow. */
    static final int MAX_PAGE = 10_000_000;

    long offset() {
        return (long) (page - 1) * limit;
    }

    static ListUsersQuery fromQueryString(Context ctx, UserFilter visible) {
        List<UserFilter> filter = new ArrayList<>(List.of(visible));
        String status = ctx.queryParam("status");
        if (status != null && !status.isBlank()) filter.add(UserFilter.status(UserDto.status(status.trim(), "status")));
        Long start = AuthingRequests.longParam(ctx, "updatedAtStart");
        Long end = AuthingRequests.longParam(ctx, "updatedAtEnd");
        if (start != null) filter.add(UserFilter.compare(Attribute.UPDATED_AT, Comparison.GREATER_OR_EQUAL, Times.millis(AuthingRequests.timestamp(start, "updatedAtStart"), "updatedAtStart")));
        if (end != null) filter.add(UserFilter.compare(Attribute.UPDATED_AT, Comparison.LESS_OR_EQUAL, Times.millis(AuthingRequests.timestamp(end, "updatedAtEnd"), "updatedAtEnd")));
        UserDto.Extras extras = new UserDto.Extras(AuthingRequests.boolParam(ctx, "withCustomData"),
                AuthingRequests.boolParam(ctx, "withIdentities"), AuthingRequests.boolParam(ctx, "withDepartmentIds"));
        return new ListUsersQuery(UserFilter.and(filter), Order.NUM, page(AuthingRequests.intParam(ctx, "page"), "page"),
                limit(AuthingRequests.intParam(ctx, "limit"), "limit"), extras);
    }

    static ListUsersQuery fromBody(JsonNode body, UserFilter visible) {
        List<UserFilter> filter = new ArrayList<>(List.of(visible));
        String keywords = AuthingRequests.text(body.get("keywords"), "keywords");
        if (keywords != null && !keywords.isBlank()) {
            List<UserFilter> any = new ArrayList<>();
            for (Attribute a : List.of(Attribute.USERNAME, Attribute.NAME, Attribute.NICKNAME, Attribute.EMAIL, Attribute.PHONE)) {
                any.add(UserFilter.contains(a, keywords.trim()));
            }
            filter.add(UserFilter.or(any));
        }
        JsonNode advanced = body.get("advancedFilter");
        if (advanced != null && !advanced.isNull()) {
            if (!advanced.isArray()) throw AuthingError.BAD_REQUEST.refuse("advancedFilter must be an array");
            Set<Status> statuses = EnumSet.allOf(Status.class);
            boolean byStatus = false;
            for (int i = 0; i < advanced.size(); i++) {
                String path = "advancedFilter[" + i + "]";
                JsonNode item = advanced.get(i);
                if (!item.isObject()) throw AuthingError.BAD_REQUEST.refuse(path + " must be {field, operator, value}");
                String field = AuthingRequests.text(item.get("field"), path + ".field");
                String operator = AuthingRequests.text(item.get("operator"), path + ".operator");
                if (field == null || operator == null) throw AuthingError.BAD_REQUEST.refuse(path + " needs field and operator");
                Operator op = operator(operator, path);
                if (field.equals("status")) {
                    statuses.retainAll(statuses(op, item.get("value"), path));
                    byStatus = true;
                } else {
                    filter.add(condition(field, op, item.get("value"), path));
                }
            }
            // status as one set of statuses, which the per-block counters answer at any depth
            if (byStatus) filter.add(UserFilter.in(Attribute.STATUS, statuses.stream().map(Status::wire).toList()));
        }
        JsonNode options = body.path("options");
        if (!options.isMissingNode() && !options.isNull() && !options.isObject()) {
            throw AuthingError.BAD_REQUEST.refuse("options must be an object");
        }
        JsonNode pagination = options.path("pagination");
        Order order = order(options.get("sort"));
        UserDto.Extras extras = new UserDto.Extras(AuthingRequests.flag(options.get("withCustomData"), "options.withCustomData"),
                AuthingRequests.flag(options.get("withIdentities"), "options.withIdentities"),
                AuthingRequests.flag(options.get("withDepartmentIds"), "options.withDepartmentIds"));
        return new ListUsersQuery(UserFilter.and(filter), order,
                page(AuthingRequests.integer(pagination.get("page"), "options.pagination.page"), "options.pagination.page"),
                limit(AuthingRequests.integer(pagination.get("limit"), "options.pagination.limit"), "options.pagination.limit"),
                extras);
    }

    private static int page(Integer page, String name) {
        if (page == null) return 1;
        if (page < 1 || page > MAX_PAGE) throw AuthingError.BAD_REQUEST.refuse(name + " must be between 1 and " + MAX_PAGE);
        return page;
    }

    private static int limit(Integer limit, String name) {
        if (limit == null) return DEFAULT_LIMIT;
        if (limit < 1 || limit > MAX_LIMIT) throw AuthingError.BAD_REQUEST.refuse(name + " must be between 1 and " + MAX_LIMIT);
        return limit;
    }

    /** The first sort key decides; users equal on it keep the stable order by num. */
    private static Order order(JsonNode sort) {
        if (sort == null || sort.isNull()) return Order.NUM;
        if (!sort.isArray()) throw AuthingError.BAD_REQUEST.refuse("options.sort must be an array of {field, order}");
        if (sort.isEmpty()) return Order.NUM;
        JsonNode first = sort.get(0);
        String field = AuthingRequests.text(first.get("field"), "options.sort[0].field");
        String direction = AuthingRequests.text(first.get("order"), "options.sort[0].order");
        boolean desc;
        if (direction == null || direction.equalsIgnoreCase("desc")) desc = true;
        else if (direction.equalsIgnoreCase("asc")) desc = false;
        else throw AuthingError.BAD_REQUEST.refuse("options.sort[0].order must be asc or desc");
        if ("createdAt".equals(field)) return desc ? Order.CREATED_DESC : Order.CREATED_ASC;
        if ("updatedAt".equals(field)) return desc ? Order.UPDATED_DESC : Order.UPDATED_ASC;
        throw AuthingError.BAD_REQUEST.refuse("options.sort[0].field: only createdAt and updatedAt can be sorted on");
    }

    /** Authing's advancedFilter operators: its wire words, translated below into the core's filter. */
    enum Operator { EQUAL, NOT_EQUAL, IN, CONTAINS, NOT_CONTAINS, IS_NULL, NOT_NULL, GREATER, LESSER, BETWEEN }

    private static Operator operator(String name, String path) {
        try {
            return Operator.valueOf(name.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw AuthingError.BAD_REQUEST.refuse(path + ".operator " + name + " is unknown; use EQUAL, NOT_EQUAL, IN, "
                    + "CONTAINS, NOT_CONTAINS, IS_NULL, NOT_NULL, GREATER, LESSER or BETWEEN");
        }
    }

    private static Set<Status> statuses(Operator op, JsonNode value, String path) {
        Set<Status> out = EnumSet.noneOf(Status.class);
        switch (op) {
            case EQUAL -> out.add(UserDto.status(scalarText(value, path), path + ".value"));
            case NOT_EQUAL -> {
                out.addAll(EnumSet.allOf(Status.class));
                out.remove(UserDto.status(scalarText(value, path), path + ".value"));
            }
            case IN -> {
                for (JsonNode v : array(value, path)) out.add(UserDto.status(scalarText(v, path), path + ".value"));
            }
            default -> throw AuthingError.BAD_REQUEST.refuse(path + ": status takes EQUAL, NOT_EQUAL or IN");
        }
        return out;
    }

    private static UserFilter condition(String name, Operator op, JsonNode value, String path) {
        Attribute attribute = switch (name) {
            case "userId", "id" -> Attribute.ID;
            case "username" -> Attribute.USERNAME;
            case "name" -> Attribute.NAME;
            case "nickname" -> Attribute.NICKNAME;
            case "email" -> Attribute.EMAIL;
            case "phone" -> Attribute.PHONE;
            case "externalId" -> Attribute.EXTERNAL_ID;
            case "createdAt" -> Attribute.CREATED_AT;
            case "updatedAt" -> Attribute.UPDATED_AT;
            case "statusChangedAt" -> Attribute.STATUS_CHANGED_AT;
            default -> throw AuthingError.BAD_REQUEST.refuse(path + ".field " + name + " cannot be filtered on; use userId, "
                    + "username, name, nickname, email, phone, externalId, status, createdAt, updatedAt or statusChangedAt");
        };
        boolean time = attribute.type() == Attribute.Type.TIME;
        boolean allowed = time
                ? EnumSet.of(Operator.EQUAL, Operator.GREATER, Operator.LESSER, Operator.BETWEEN, Operator.IS_NULL, Operator.NOT_NULL).contains(op)
                : !EnumSet.of(Operator.GREATER, Operator.LESSER, Operator.BETWEEN).contains(op);
        if (!allowed) throw AuthingError.BAD_REQUEST.refuse(path + ": " + name + " does not take " + op);
        return switch (op) {
            case EQUAL -> UserFilter.eq(attribute, value(attribute, value, path));
            case NOT_EQUAL -> UserFilter.not(UserFilter.eq(attribute, value(attribute, value, path)));
            case IN -> {
                List<JsonNode> values = array(value, path);
                if (values.size() > 1000) throw AuthingError.BAD_REQUEST.refuse(path + ".value: at most 1000 values");
                List<Object> each = new ArrayList<>();
                for (JsonNode v : values) each.add(value(attribute, v, path));
                yield UserFilter.in(attribute, each);
            }
            case CONTAINS -> UserFilter.contains(attribute, scalarText(value, path));
            case NOT_CONTAINS -> UserFilter.not(UserFilter.contains(attribute, scalarText(value, path)));
            case IS_NULL -> UserFilter.not(new UserFilter.Present(attribute));
            case NOT_NULL -> new UserFilter.Present(attribute);
            case GREATER -> UserFilter.compare(attribute, Comparison.GREATER, value(attribute, value, path));
            case LESSER -> UserFilter.compare(attribute, Comparison.LESS, value(attribute, value, path));
            case BETWEEN -> {
                List<JsonNode> pair = array(value, path);
                if (pair.size() != 2) throw AuthingError.BAD_REQUEST.refuse(path + ".value: BETWEEN takes [from, to]");
                yield UserFilter.and(UserFilter.compare(attribute, Comparison.GREATER_OR_EQUAL, value(attribute, pair.get(0), path)),
                        UserFilter.compare(attribute, Comparison.LESS_OR_EQUAL, value(attribute, pair.get(1), path)));
            }
        };
    }

    private static Object value(Attribute attribute, JsonNode v, String path) {
        if (attribute.type() == Attribute.Type.TIME) return Times.millis(AuthingRequests.time(v, path + ".value"), path + ".value");
        return scalarText(v, path);
    }

    private static String scalarText(JsonNode v, String path) {
        if (v == null || !(v.isTextual() || v.isNumber())) throw AuthingError.BAD_REQUEST.refuse(path + ".value must be a string");
        return v.asText();
    }

    private static List<JsonNode> array(JsonNode v, String path) {
        if (v == null || !v.isArray()) throw AuthingError.BAD_REQUEST.refuse(path + ".value must be an array");
        List<JsonNode> out = new ArrayList<>();
        v.forEach(out::add);
        return out;
    }
}
