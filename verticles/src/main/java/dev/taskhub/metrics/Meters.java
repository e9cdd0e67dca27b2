package dev.taskhub.metrics;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.VertxPrometheusOptions;
import io.vertx.micrometer.backends.BackendRegistries;

/**
 * The JVM's one Micrometer registry, scraped as Prometheus text at {@code GET /metrics}: Vert.x's own meters and the
 * JVM's (when the launcher started Vert.x with {@link #enable}) and Taskhub's. A Vert.x started without metrics (a
 * unit test's) gets a registry of this class instead, so the hub's counters work the same everywhere.
 */
public final class Meters {
  private static final PrometheusMeterRegistry FALLBACK = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

  private Meters() {
  }

  /** Vert.x's meters (HTTP server and client, event bus, pools) and the JVM's, in a Prometheus registry. */
  public static VertxOptions enable(VertxOptions options) {
    return options.setMetricsOptions(new MicrometerMetricsOptions()
        .setEnabled(true)
        .setJvmMetricsEnabled(true)
        .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true)));
  }

  public static PrometheusMeterRegistry registry() {
    return BackendRegistries.getDefaultNow() instanceof PrometheusMeterRegistry vertx ? vertx : FALLBACK;
  }
}
