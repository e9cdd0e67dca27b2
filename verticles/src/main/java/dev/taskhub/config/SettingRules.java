package dev.taskhub.config;

import dev.taskhub.api.LeaseTerms;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;

/** The checks of configuration values that must be more than a number or a text: each refusal names its key. */
final class SettingRules {

  private SettingRules() {
  }

  /** An http(s) URL, or null; anything else is refused naming the key. */
  static String url(String key, String text) {
    if (text == null) {
      return null;
    }
    try {
      URI uri = new URI(text);
      if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null) {
        return text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
      }
    } catch (URISyntaxException e) {
      // refused below
    }
    throw new IllegalArgumentException(key + " must be an http:// or https:// URL with a host, not '" + text + "'");
  }

  static int shutdownGrace(int seconds) {
    if (seconds < 0) {
      throw new IllegalArgumentException("node.shutdownGraceSeconds must be 0 or more (0: kill what runs at once), not " + seconds);
    }
    return seconds;
  }

  static String spawner(String kind) {
    if (!List.of("auto", "native", "java").contains(kind)) {
      throw new IllegalArgumentException("agent.spawner must be auto, native or java, not '" + kind + "'");
    }
    return kind;
  }

  /**
   * How long a silent JVM keeps its executors: less than both the cluster's failure detection and the lease, so that
   * a frozen node's executors are dead before any hub gives its tasks to another node. Unset: half the smaller.
   */
  static int fence(Integer configured, int maxNoHeartbeatSeconds, LeaseTerms lease) {
    int bound = Math.min(maxNoHeartbeatSeconds, lease.leaseSeconds());
    if (configured == null) {
      return Math.max(1, bound / 2);
    }
    if (configured < 1 || configured >= bound) {
      throw new IllegalArgumentException("agent.fenceSeconds must be at least 1 and below " + bound
          + " (cluster.maxNoHeartbeatSeconds and the lease, 2 x agent.leasePeriodSeconds), not " + configured);
    }
    return configured;
  }

  /** All files or none; the event bus also needs its CA ({@code withCa}). */
  static NodeSettings.Tls tls(String prefix, String cert, String key, String ca, boolean withCa) {
    if (cert == null && key == null && ca == null) {
      return null;
    }
    if (cert == null || key == null || (withCa && ca == null)) {
      throw new IllegalArgumentException(prefix + ": set " + (withCa ? "certFile, keyFile and caFile" : "both certFile and keyFile")
          + " (PEM files), or none of them");
    }
    return new NodeSettings.Tls(cert, key, ca);
  }

  /** {@code retention.finished}: an ISO-8601 duration in days, hours, minutes or seconds (P7D, PT12H), or off. */
  static Duration retention(String text) {
    if (text == null || text.equalsIgnoreCase("off")) {
      return null;
    }
    try {
      Duration duration = Duration.parse(text);
      if (duration.isNegative() || duration.isZero()) {
        throw new DateTimeParseException("not positive", text, 0);
      }
      return duration;
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("retention.finished must be a positive ISO-8601 duration in days, hours, "
          + "minutes or seconds (P7D, PT12H, P1DT6H), or off, not '" + text + "'");
    }
  }

  static List<String> list(String text) {
    return text == null ? List.of() : Arrays.stream(text.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
  }
}
