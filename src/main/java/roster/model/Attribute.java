package roster.model;

/**
 * The user attributes a filter or an order can name, in the core's own words. A front end maps its wire's
 * names onto these (Authing's externalId, SCIM's userName, LDAP's uid) in its own package.
 */
public enum Attribute {
    ID(Type.TEXT), NUM(Type.NUMBER), SEQUENCE(Type.NUMBER), USERNAME(Type.TEXT), NAME(Type.TEXT),
    NICKNAME(Type.TEXT), EMAIL(Type.TEXT), PHONE(Type.TEXT), PHONE_COUNTRY_CODE(Type.TEXT), EXTERNAL_ID(Type.TEXT),
    AVATAR(Type.TEXT), COUNTRY(Type.TEXT), PROVINCE(Type.TEXT), CITY(Type.TEXT), ADDRESS(Type.TEXT),
    STREET_ADDRESS(Type.TEXT), POSTAL_CODE(Type.TEXT), STATUS(Type.TEXT), GENDER(Type.TEXT),
    CREATED_AT(Type.TIME), UPDATED_AT(Type.TIME), STATUS_CHANGED_AT(Type.TIME),
    /** The access-control card number, and the type of the face image (jpeg, png) when one is stored. */
    ACS_CARD(Type.NUMBER), ACS_FACE(Type.TEXT);

    /** How values compare: text by code point, numbers and times (epoch milliseconds) numerically. */
    public enum Type { TEXT, NUMBER, TIME }

    private final Type type;

    Attribute(Type type) {
        this.type = type;
    }

    public Type type() {
        return type;
    }
}
