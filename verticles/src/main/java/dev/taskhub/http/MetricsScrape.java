package dev.taskhub.http;

import dev.taskhub.metrics.Meters;
import dev.taskhub.node.NodeDirectory;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.ext.web.RoutingContext;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code GET /metrics}: this JVM's Micrometer registry as Prometheus text (the hub's meters where this node runs a
 * hub, Vert.x's and the JVM's), plus {@code taskhub_agents{node,state}} of the whole cluster, from the heartbeats this
 * node hears, refreshed at each scrape.
 */
final class MetricsScrape {
  private final PrometheusMeterRegistry registry = Meters.registry();
  private final NodeDirectory directory;
  private final MultiGauge agents;

  MetricsScrape(NodeDirectory directory) {
    this.directory = directory;
    this.agents = MultiGauge.builder("taskhub.agents").description("Agents by node and state (idle, busy; gone: its node is silent)")
        .register(registry);
  }

  void answer(RoutingContext ctx) {
    List<MultiGauge.Row<?>> rows = new ArrayList<>();
    directory.agentCounts().forEach((key, n) -> rows.add(MultiGauge.Row.of(Tags.of("node", key.get(0), "state", key.get(1)), n)));
    agents.register(rows, true);
    ctx.response().putHeader("content-type", "text/plain; version=0.0.4; charset=utf-8").end(registry.scrape());
  }
}
