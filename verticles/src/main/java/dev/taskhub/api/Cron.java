package dev.taskhub.api;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinition;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;

/**
 * A schedule's cron expression in its time zone, parsed and evaluated by cron-utils (never by hand). Five fields are
 * the Unix form, minute first ({@code *&#47;15 * * * MON-FRI}); six fields put the second first, in Spring 5.3's
 * dialect ({@code 0 *&#47;5 * * * *}, with {@code ?}, {@code L}, {@code W}, {@code #} and names). Times are computed in
 * the zone, so daylight-saving changes are the library's: a local time that does not exist on the day clocks go
 * forward is skipped that day. Ticks are whole seconds.
 */
public final class Cron {
  private static final CronParser UNIX = parser(CronType.UNIX);
  private static final CronParser SECONDS = parser(CronType.SPRING53);
  private static final List<String> FIVE = List.of("minute", "hour", "day-of-month", "month", "day-of-week");
  private static final List<String> SIX = List.of("second", "minute", "hour", "day-of-month", "month", "day-of-week");

  private final String expression;
  private final ZoneId zone;
  private final ExecutionTime times;

  private Cron(String expression, ZoneId zone, ExecutionTime times) {
    this.expression = expression;
    this.zone = zone;
    this.times = times;
  }

  private static CronParser parser(CronType type) {
    CronDefinition definition = CronDefinitionBuilder.instanceDefinitionFor(type);
    return new CronParser(definition);
  }

  /**
   * Parses {@code expression} in {@code timezone} (an IANA name such as Europe/Budapest, or UTC); a refusal is a
   * {@link Failure#BAD_REQUEST} naming the field ({@code cron} — and which of its fields — or {@code timezone}).
   */
  public static Cron parse(String expression, String timezone) {
    ZoneId zone;
    try {
      zone = ZoneId.of(timezone);
    } catch (DateTimeException e) {
      throw Failure.BAD_REQUEST.exception("'timezone' " + FieldRule.show(timezone)
          + " is not a time zone: use an IANA name such as Europe/Budapest or America/New_York, or UTC");
    }
    String[] parts = expression.trim().split("\\s+");
    if (parts.length != 5 && parts.length != 6) {
      throw Failure.BAD_REQUEST.exception("'cron' " + FieldRule.show(expression) + " has " + parts.length
          + " fields: give 5 (minute hour day-of-month month day-of-week) or 6 (second first)");
    }
    CronParser parser = parts.length == 5 ? UNIX : SECONDS;
    ExecutionTime times;
    try {
      com.cronutils.model.Cron cron = parser.parse(String.join(" ", parts));
      cron.validate();
      times = ExecutionTime.forCron(cron);
    } catch (IllegalArgumentException e) {
      throw Failure.BAD_REQUEST.exception("'cron' " + FieldRule.show(expression) + " is not valid: "
          + culprit(parser, parts) + reason(e));
    }
    Cron cron = new Cron(String.join(" ", parts), zone, times);
    if (cron.next(Instant.now()) == null) {
      throw Failure.BAD_REQUEST.exception("'cron' " + FieldRule.show(expression) + " never fires (no such date)");
    }
    return cron;
  }

  /** "the day-of-week field '8': " — the first field that fails on its own, all others being '*'. */
  private static String culprit(CronParser parser, String[] parts) {
    List<String> names = parts.length == 5 ? FIVE : SIX;
    for (int i = 0; i < parts.length; i++) {
      String[] alone = new String[parts.length];
      Arrays.fill(alone, "*");
      alone[i] = parts[i];
      try {
        parser.parse(String.join(" ", alone)).validate();
      } catch (IllegalArgumentException e) {
        return "the " + names.get(i) + " field '" + parts[i] + "': ";
      }
    }
    return "";
  }

  private static String reason(IllegalArgumentException e) {
    String message = String.valueOf(e.getMessage()).replace("Failed to parse cron expression. ", "");
    return message.isEmpty() ? message : Character.toLowerCase(message.charAt(0)) + message.substring(1);
  }

  public String expression() {
    return expression;
  }

  public ZoneId zone() {
    return zone;
  }

  /** The first tick strictly after {@code after}; null if there is none. */
  public Instant next(Instant after) {
    ZonedDateTime from = after.atZone(zone).truncatedTo(ChronoUnit.SECONDS);
    return times.nextExecution(from).map(ZonedDateTime::toInstant).orElse(null);
  }

  /** The latest tick at or before {@code time}; null if there is none. */
  public Instant latest(Instant time) {
    ZonedDateTime at = time.atZone(zone).truncatedTo(ChronoUnit.SECONDS);
    if (times.isMatch(at)) {
      return at.toInstant();
    }
    return times.lastExecution(at).map(ZonedDateTime::toInstant).orElse(null);
  }
}
