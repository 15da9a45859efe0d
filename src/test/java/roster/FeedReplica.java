package roster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import roster.model.CanonicalJson;

/**
 * A client that follows a tenant's admin change feed with "after = the largest sequence seen": every sequence
 * it read, in order, and the users it rebuilt from the feed (deletions remove them).
 */
public final class FeedReplica {

    public final List<Long> seen = Collections.synchronizedList(new ArrayList<>());
    public final Map<String, JsonNode> users = new HashMap<>();
    private long after;

    /** Reads one page of changes after the last one seen; false when there was nothing new. */
    public boolean poll(TestServer.Client client, String tenant, int limit) {
        JsonNode changes;
        try {
            changes = CanonicalJson.MAPPER.readTree(client.admin("GET",
                    "/admin/v1/tenants/" + tenant + "/changes?limit=" + limit + "&after=" + after, null).body()).get("changes");
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        for (JsonNode change : changes) {
            long seq = change.get("sequence").asLong();
            assertThat(seq).isGreaterThan(after);
            seen.add(seq);
            after = seq;
            String id = change.get("user_id").asText();
            if (change.get("deleted").asBoolean()) users.remove(id);
            else if (change.has("user")) users.put(id, change.get("user"));
        }
        return !changes.isEmpty();
    }
}
