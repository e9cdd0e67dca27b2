package dev.taskhub.hub;

import dev.taskhub.api.Failure;
import dev.taskhub.api.TaskSpec;

import java.net.URI;
import java.util.List;
import java.util.Locale;

/**
 * {@code finalizer.allowedUrls}: when set, a task's {@code finalizeUrl} must fall under one of these URL prefixes, or
 * the registration is refused (400) — so whoever may submit cannot make the hub call arbitrary addresses of its
 * network. Matched on the parsed URL, not its text: same scheme, host and port, no user info, and a path under the
 * prefix's path (so {@code https://hooks.example} does not admit {@code https://hooks.example@evil.test/}).
 */
final class AllowedFinalizeUrls {
  private final List<String> prefixes;
  private final List<URI> parsed;

  AllowedFinalizeUrls(List<String> prefixes) {
    this.prefixes = List.copyOf(prefixes);
    this.parsed = prefixes.stream().map(p -> {
      URI uri = URI.create(p);
      if (uri.getScheme() == null || uri.getHost() == null) {
        throw new IllegalArgumentException("finalizer.allowedUrls: '" + p + "' is not an absolute http(s) URL");
      }
      return uri;
    }).toList();
  }

  void check(List<TaskSpec> specs) {
    if (parsed.isEmpty()) {
      return;
    }
    for (int i = 0; i < specs.size(); i++) {
      String url = specs.get(i).finalizeUrl();
      if (url != null && !allowed(URI.create(url))) {
        throw Failure.BAD_REQUEST.exception((specs.size() > 1 ? "tasks[" + i + "]: " : "") + "'finalizeUrl' " + url
            + " is not allowed here: it must start with one of " + prefixes + " (finalizer.allowedUrls)");
      }
    }
  }

  private boolean allowed(URI url) {
    for (URI prefix : parsed) {
      if (prefix.getScheme().equalsIgnoreCase(url.getScheme()) && url.getRawUserInfo() == null
          && prefix.getHost().toLowerCase(Locale.ROOT).equals(url.getHost().toLowerCase(Locale.ROOT))
          && port(prefix) == port(url) && path(url).startsWith(path(prefix))) {
        return true;
      }
    }
    return false;
  }

  private static int port(URI uri) {
    return uri.getPort() != -1 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
  }

  private static String path(URI uri) {
    return uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
  }
}
