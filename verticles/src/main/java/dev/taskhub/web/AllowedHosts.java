package dev.taskhub.web;

import io.vertx.core.net.HostAndPort;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.SecurityPolicyHandler;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Refuses, with 403, a request whose {@code Host} is not a loopback name or address nor one of
 * {@code http.allowedHosts}: installed where the node has no API tokens. There a request is trusted for coming from
 * this machine, and a web page whose name was made to resolve to 127.0.0.1 (DNS rebinding) would otherwise reach the
 * API from the user's browser, with the page's own name in {@code Host}. A security-policy handler, so that Vert.x runs
 * it before the body is read.
 */
public final class AllowedHosts implements SecurityPolicyHandler {
  private final Set<String> extra;

  public AllowedHosts(List<String> allowedHosts) {
    this.extra = allowedHosts.stream().map(h -> h.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
  }

  @Override
  public void handle(RoutingContext ctx) {
    HostAndPort authority = ctx.request().authority();
    String host = authority == null ? null : authority.host().toLowerCase(Locale.ROOT);
    if (host != null && (isLoopback(host) || extra.contains(host))) {
      ctx.next();
    } else {
      ErrorResponse.send(ctx, 403, "the Host '" + (host == null ? "" : host) + "' is not served here: this node has no API "
          + "tokens, so it answers only loopback names (localhost, 127.0.0.1, [::1]) and http.allowedHosts");
    }
  }

  /** Decided on the name as written, never by resolving it: a rebound name resolves to loopback too. */
  static boolean isLoopback(String host) {
    String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    return h.equals("localhost") || h.endsWith(".localhost") || h.equals("::1") || h.equals("0:0:0:0:0:0:0:1")
        || h.matches("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");
  }
}
