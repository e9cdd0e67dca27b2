package dev.taskhub.agent;

import java.util.Properties;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Who an executor runs as and what it may use, from its folder's {@code executor.properties}: {@code user=<name>}
 * (that user's uid and primary group, and no other group), {@code limits.memoryMb} (address space),
 * {@code limits.cpuSeconds} and {@code limits.openFiles}. Null fields leave the node's own value.
 *
 * <p>Limits are rlimits, set between fork and exec: they need no privilege to lower, work on every Linux and in every
 * container, and bound each process of the executor (not the sum of its children). Cgroups would bound the whole
 * tree, but need a hierarchy delegated to the node (systemd {@code Delegate=yes} or a writable cgroupfs), which most
 * nodes do not have; a unit's own {@code MemoryMax=} can bound all executors of a node together.
 */
record ExecutorIsolation(String user, Integer uid, Integer gid, Long openFiles, Long cpuSeconds, Long memoryMb) {
  static final ExecutorIsolation NONE = new ExecutorIsolation(null, null, null, null, null, null);

  /** What {@code getent passwd} says of a user. */
  record Account(String name, int uid, int gid) {
  }

  // A POSIX-ish user name, or a numeric uid; never something getent would take as an option.
  private static final Pattern USER = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,31}\\$?");

  /**
   * Reads the isolation keys of one executor.properties; {@code accounts} resolves a user name (null: no such user).
   * A bad value is refused with a message naming the key, so the executor stays unavailable until it is fixed.
   */
  static ExecutorIsolation read(Properties props, Function<String, Account> accounts) {
    String user = props.getProperty("user", "").trim();
    Long openFiles = positive(props, "limits.openFiles", Integer.MAX_VALUE);
    Long cpuSeconds = positive(props, "limits.cpuSeconds", Long.MAX_VALUE / 2);
    Long memoryMb = positive(props, "limits.memoryMb", Long.MAX_VALUE >> 21);
    if (user.isEmpty()) {
      return new ExecutorIsolation(null, null, null, openFiles, cpuSeconds, memoryMb);
    }
    if (!USER.matcher(user).matches()) {
      throw new IllegalArgumentException("user '" + user + "' is not a user name");
    }
    Account account = accounts.apply(user);
    if (account == null) {
      throw new IllegalArgumentException("user '" + user + "' does not exist on this node (getent passwd " + user
          + " finds nothing): create it, or remove user= to run the executor as the node's user");
    }
    return new ExecutorIsolation(account.name(), account.uid(), account.gid(), openFiles, cpuSeconds, memoryMb);
  }

  boolean switchesUser() {
    return uid != null;
  }

  boolean limited() {
    return openFiles != null || cpuSeconds != null || memoryMb != null;
  }

  Long memoryBytes() {
    return memoryMb == null ? null : memoryMb << 20;
  }

  /** The same limits under the node's own user (asked for a user the node already is: nothing to switch). */
  ExecutorIsolation withoutUser() {
    return new ExecutorIsolation(null, null, null, openFiles, cpuSeconds, memoryMb);
  }

  /** For log lines and errors: "user taskhub-exec (uid 998, gid 998), limits.openFiles 64". */
  String describe() {
    StringBuilder text = new StringBuilder();
    if (switchesUser()) {
      text.append("user ").append(user).append(" (uid ").append(uid).append(", gid ").append(gid).append(")");
    }
    append(text, "limits.memoryMb", memoryMb);
    append(text, "limits.cpuSeconds", cpuSeconds);
    append(text, "limits.openFiles", openFiles);
    return text.length() == 0 ? "the node's user, no limits" : text.toString();
  }

  private static void append(StringBuilder text, String key, Long value) {
    if (value != null) {
      text.append(text.length() == 0 ? "" : ", ").append(key).append(' ').append(value);
    }
  }

  private static Long positive(Properties props, String key, long max) {
    String text = props.getProperty(key, "").trim();
    if (text.isEmpty()) {
      return null;
    }
    try {
      long value = Long.parseLong(text);
      if (value >= 1 && value <= max) {
        return value;
      }
    } catch (NumberFormatException e) {
      // refused below
    }
    throw new IllegalArgumentException(key + " must be a whole number from 1 to " + max + ", not '" + text + "'");
  }
}
