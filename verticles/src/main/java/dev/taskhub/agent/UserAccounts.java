package dev.taskhub.agent;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Resolves user names to uid and primary gid with {@code getent passwd}, so that every source the system knows (files,
 * LDAP, sssd through NSS) counts, as it does for {@code su} or systemd. One instance lives for one catalog scan: a
 * user is asked for once per scan, and a user created or removed meanwhile is seen at the next. Blocking.
 */
final class UserAccounts {
  private static final String GETENT = "getent";
  private final Map<String, Optional<ExecutorIsolation.Account>> known = new HashMap<>();

  /** The account, or null when there is no such user. A failing getent is an error, not an unknown user. */
  ExecutorIsolation.Account find(String name) {
    return known.computeIfAbsent(name, UserAccounts::lookUp).orElse(null);
  }

  private static Optional<ExecutorIsolation.Account> lookUp(String name) {
    String line;
    int exit;
    try {
      Process getent = new ProcessBuilder(GETENT, "passwd", name).redirectErrorStream(true).start();
      getent.getOutputStream().close();
      line = new String(getent.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      if (!getent.waitFor(10, TimeUnit.SECONDS)) {
        getent.destroyForcibly();
        throw new IllegalArgumentException("getent passwd " + name + " did not answer within 10 s");
      }
      exit = getent.exitValue();
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot look user '" + name + "' up: getent is missing (" + e.getMessage() + ")");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalArgumentException("interrupted while looking user '" + name + "' up");
    }
    if (exit == 2) { // getent: "one or more supplied key could not be found"
      return Optional.empty();
    }
    String[] fields = line.split(":", -1); // name:password:uid:gid:gecos:home:shell
    if (exit != 0 || fields.length < 4) {
      throw new IllegalArgumentException("getent passwd " + name + " failed (exit " + exit + "): " + line);
    }
    try {
      return Optional.of(new ExecutorIsolation.Account(fields[0], Integer.parseInt(fields[2]), Integer.parseInt(fields[3])));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("getent passwd " + name + " gave no numeric uid and gid: " + line);
    }
  }
}
