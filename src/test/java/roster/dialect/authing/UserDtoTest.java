package roster.dialect.authing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class UserDtoTest {

    /** Authing's time text, as the pattern formatter writes it: the digit-by-digit writing must match it. */
    private static final DateTimeFormatter PATTERN = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    @Test
    void timesReadAsThePatternWritesThem() {
        SplittableRandom random = new SplittableRandom(18);
        for (int i = 0; i < 100_000; i++) {
            Instant t = Instant.ofEpochSecond(random.nextLong(0, 253_402_300_800L), random.nextInt(1_000_000_000));
            if (i % 3 == 0) t = Instant.ofEpochSecond(t.getEpochSecond()); // whole seconds: .000
            assertThat(UserDto.time(t)).isEqualTo(PATTERN.format(t));
        }
        for (Instant t : new Instant[] {Instant.EPOCH, Instant.parse("9999-12-31T23:59:59.999Z"), Instant.parse("+10000-01-01T00:00:00Z")}) {
            assertThat(UserDto.time(t)).isEqualTo(PATTERN.format(t));
        }
        assertThat(UserDto.time(null)).isNull();
    }
}
