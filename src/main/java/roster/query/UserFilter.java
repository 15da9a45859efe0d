package roster.query;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import roster.directory.Status;

/**
 * Which users of one tenant a list holds. Scopes are intersected: the calling app's visible_to, then whatever
 * the dialect adds (an administrator's departments, an org subtree).
 */
public record UserFilter(
        String tenantId,
        List<Scope> scopes,
        Set<Status> statuses,
        boolean accessGroupMembersOnly,
        String accessGroup,
        Instant updatedFrom,
        Instant updatedTo,
        Long afterSequence,
        List<Match> matches) {

    public static UserFilter tenant(String tenantId) {
        return new UserFilter(tenantId, List.of(), Set.of(), false, null, null, null, null, List.of());
    }

    public UserFilter within(Scope scope) {
        if (scope.all()) return this;
        List<Scope> more = new ArrayList<>(scopes);
        more.add(scope);
        return new UserFilter(tenantId, List.copyOf(more), statuses, accessGroupMembersOnly, accessGroup, updatedFrom, updatedTo, afterSequence, matches);
    }

    public UserFilter statuses(Set<Status> values) {
        return new UserFilter(tenantId, scopes, Set.copyOf(values), accessGroupMembersOnly, accessGroup, updatedFrom, updatedTo, afterSequence, matches);
    }

    /** Only active users in at least one access group: who a door controller knows. */
    public UserFilter onlyAccessGroupMembers() {
        return new UserFilter(tenantId, scopes, statuses, true, accessGroup, updatedFrom, updatedTo, afterSequence, matches);
    }

    public UserFilter inAccessGroup(String groupId) {
        return new UserFilter(tenantId, scopes, statuses, accessGroupMembersOnly, groupId, updatedFrom, updatedTo, afterSequence, matches);
    }

    public UserFilter updatedBetween(Instant from, Instant to) {
        return new UserFilter(tenantId, scopes, statuses, accessGroupMembersOnly, accessGroup, from, to, afterSequence, matches);
    }

    public UserFilter changedAfter(Long sequence) {
        return new UserFilter(tenantId, scopes, statuses, accessGroupMembersOnly, accessGroup, updatedFrom, updatedTo, sequence, matches);
    }

    /** Only users that also satisfy the condition (conditions add up: all must hold). */
    public UserFilter matching(Match match) {
        List<Match> more = new ArrayList<>(matches);
        more.add(match);
        return new UserFilter(tenantId, scopes, statuses, accessGroupMembersOnly, accessGroup, updatedFrom, updatedTo, afterSequence, List.copyOf(more));
    }

    /** True when per-block counters can answer counts and offsets: no filter but tenant and status. */
    boolean isCountable() {
        return scopes.isEmpty() && !accessGroupMembersOnly && accessGroup == null && updatedFrom == null
                && updatedTo == null && afterSequence == null && matches.isEmpty();
    }
}
