package dev.taskhub.api;

import java.util.concurrent.TimeUnit;

/**
 * The one rule of leases, for hubs and agents alike: an agent renews its lease every {@code agent.leasePeriodSeconds};
 * a hub grants two periods, so one late or lost renewal costs nothing and a missed second one means the agent is gone.
 * The agent applies the same bound to itself: a lease it could not renew for two periods may be someone else's by now.
 */
public record LeaseTerms(int periodSeconds) {

  public LeaseTerms {
    if (periodSeconds < 1) {
      throw new IllegalArgumentException("agent.leasePeriodSeconds must be at least 1, not " + periodSeconds);
    }
  }

  /** How long a hub grants a claim or a renewal. */
  public int leaseSeconds() {
    return 2 * periodSeconds;
  }

  public long leaseNanos() {
    return TimeUnit.SECONDS.toNanos(leaseSeconds());
  }

  /** How often an agent renews (a report with nothing new is a plain renewal). */
  public long periodNanos() {
    return TimeUnit.SECONDS.toNanos(periodSeconds);
  }

  public long periodMillis() {
    return TimeUnit.SECONDS.toMillis(periodSeconds);
  }
}
