package dev.taskhub.api;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CronTest {

  @Test
  void fiveFieldsStartWithTheMinuteAndSixWithTheSecond() {
    Instant t = Instant.parse("2026-01-01T10:02:03Z");
    assertThat(Cron.parse("*/5 * * * *", "UTC").next(t)).isEqualTo(Instant.parse("2026-01-01T10:05:00Z"));
    assertThat(Cron.parse("0 */5 * * * *", "UTC").next(t)).isEqualTo(Instant.parse("2026-01-01T10:05:00Z"));
    assertThat(Cron.parse("*/10 * * * * *", "UTC").next(t)).isEqualTo(Instant.parse("2026-01-01T10:02:10Z"));
    assertThat(Cron.parse("0 9 * * MON-FRI", "UTC").next(t)).isEqualTo(Instant.parse("2026-01-02T09:00:00Z"));
    assertThat(Cron.parse("0 0 0 L * *", "UTC").next(t)).as("last day of the month").isEqualTo(Instant.parse("2026-01-31T00:00:00Z"));
    assertThat(Cron.parse("0 0 0 ? * MON#2", "UTC").next(t)).as("second Monday").isEqualTo(Instant.parse("2026-01-12T00:00:00Z"));
  }

  @Test
  void theLatestTickIsAtOrBeforeTheTimeAndTheNextStrictlyAfter() {
    Cron everySecond = Cron.parse("* * * * * *", "UTC");
    Instant whole = Instant.parse("2026-01-01T10:00:00Z");
    assertThat(everySecond.latest(whole)).isEqualTo(whole);
    assertThat(everySecond.latest(whole.plusMillis(700))).isEqualTo(whole);
    assertThat(everySecond.next(whole)).isEqualTo(whole.plusSeconds(1));
    assertThat(everySecond.next(whole.plusMillis(700))).isEqualTo(whole.plusSeconds(1));
  }

  @Test
  void ticksFollowTheTimeZoneAcrossDaylightSavingChanges() {
    Cron nineOClock = Cron.parse("0 9 * * *", "Europe/Budapest");
    // Budapest is UTC+1 in winter and UTC+2 from 29 March 2026, 02:00.
    assertThat(nineOClock.next(Instant.parse("2026-03-28T12:00:00Z"))).isEqualTo(Instant.parse("2026-03-29T07:00:00Z"));
    assertThat(nineOClock.next(Instant.parse("2026-03-27T12:00:00Z"))).isEqualTo(Instant.parse("2026-03-28T08:00:00Z"));
    // 02:30 does not exist on 29 March in Budapest: that day is skipped.
    assertThat(Cron.parse("30 2 * * *", "Europe/Budapest").next(Instant.parse("2026-03-28T12:00:00Z")))
        .isEqualTo(Instant.parse("2026-03-30T00:30:00Z"));
  }

  @Test
  void aBadExpressionIsRefusedNamingTheFieldThatIsWrong() {
    assertRefused("61 * * * * *", "UTC", "'cron' '61 * * * * *' is not valid: the second field '61'", "59");
    assertRefused("0 0 * * 8", "UTC", "the day-of-week field '8'", "range");
    assertRefused("0 0 * 13 *", "UTC", "the month field '13'", "range");
    assertRefused("* * * *", "UTC", "'cron' '* * * *' has 4 fields: give 5", "6 (second first)");
    assertRefused("0 0 30 2 *", "UTC", "never fires", "");
    assertRefused("0 0 * * *", "Mars/Olympus", "'timezone' 'Mars/Olympus' is not a time zone", "IANA");
  }

  @Test
  void aScheduleSpecChecksItsTaskAsARegistrationDoes() {
    JsonObject body = new JsonObject().put("cron", "* * * * *").put("task", new JsonObject().put("type", "../x"));
    assertThatThrownBy(() -> ScheduleSpec.fromJson("nightly", body, 1 << 20)).hasMessageStartingWith("task: invalid type '../x'");
    assertThatThrownBy(() -> ScheduleSpec.fromJson("night ly", body, 1 << 20)).hasMessageContaining("invalid schedule name 'night ly'");
    assertThatThrownBy(() -> ScheduleSpec.fromJson("n", body.copy().put("crom", "x"), 1 << 20)).hasMessageContaining("unknown field 'crom'");
    assertThatThrownBy(() -> ScheduleSpec.fromJson("n", new JsonObject().put("task", new JsonObject().put("type", "t")), 1 << 20))
        .hasMessageContaining("'cron' is required");
    ScheduleSpec ok = ScheduleSpec.fromJson("n", body.copy().put("task", new JsonObject().put("type", "t")), 1 << 20);
    assertThat(ok.timezone()).isEqualTo("UTC");
  }

  private static void assertRefused(String cron, String zone, String message, String more) {
    assertThatThrownBy(() -> Cron.parse(cron, zone))
        .isInstanceOfSatisfying(TaskhubException.class, e -> assertThat(e.failure()).isEqualTo(Failure.BAD_REQUEST))
        .hasMessageContaining(message).hasMessageContaining(more);
  }
}
