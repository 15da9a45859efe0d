package roster.model;

import java.util.List;

/** Access-control credentials: permission groups, card number and face image. */
public record Acs(List<String> groups, Integer card, Face face) {

    public static final Acs NONE = new Acs(List.of(), null, null);

    public List<String> groups() {
        return groups == null ? List.of() : groups;
    }

    public Acs withCard(Integer newCard) {
        return new Acs(groups, newCard, face);
    }

    public Acs withFace(Face newFace) {
        return new Acs(groups, card, newFace);
    }
}
