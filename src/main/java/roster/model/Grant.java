package roster.model;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/** An issued access token's record. subject is the signed-in user where the token speaks for one (EnOS). */
public record Grant(String id, String kind, String appId, String tenantId, String subject, Instant issuedAt, Instant expiresAt) {
    public long secondsLeft(Clock clock) {
        return Math.max(0, Duration.between(clock.instant(), expiresAt).getSeconds());
    }
}
