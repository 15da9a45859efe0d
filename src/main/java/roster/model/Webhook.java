package roster.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.List;

/**
 * A subscription to a tenant's user changes, delivered to url in one format. The secret (standard) is
 * write-only; app names the app a feishu subscription speaks for (its ids, visibility and event keys). position,
 * paused, failing_since and last_error are its delivery state: shown, and only paused may be set (false resumes).
 */
public record Webhook(
        String id,
        String url,
        Format format,
        String secret,
        String app,
        List<String> events,
        Long position,
        Boolean paused,
        Instant failingSince,
        String lastError) {

    public static final List<String> EVENTS = List.of("user.created", "user.updated", "user.deleted");

    public enum Format {
        @JsonProperty("standard") STANDARD,
        @JsonProperty("feishu") FEISHU;

        public String wire() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        public static Format fromWire(String value) {
            return valueOf(value.toUpperCase(java.util.Locale.ROOT));
        }
    }

    /** The events it asked for; all of them when none were named. */
    public List<String> events() {
        return events == null || events.isEmpty() ? EVENTS : events;
    }

    public boolean isPaused() {
        return paused != null && paused;
    }

    public Webhook withSecret(String newSecret) {
        return new Webhook(id, url, format, newSecret, app, events, position, paused, failingSince, lastError);
    }

    public Webhook withId(String newId) {
        return new Webhook(newId, url, format, secret, app, events, position, paused, failingSince, lastError);
    }

    /** One attempt to deliver an event, as the delivery log keeps it. status 0: no answer (timeout, refused). */
    public record Delivery(long attempt, String eventId, String eventType, long sequence, Instant attemptedAt,
                           int status, long latencyMs, String answer, String error) {}
}
