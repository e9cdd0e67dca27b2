package dev.taskhub.agent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What this JVM may do to run an executor as another user, read once from {@code /proc/self/status}: its effective
 * uid and gid, and its effective capabilities. Root has them all; a node run as another user needs them granted
 * (systemd {@code AmbientCapabilities=}, which its helpers inherit). Each is needed for a reason: CAP_SETUID and
 * CAP_SETGID to become the user, CAP_CHOWN to lend it the working directory and its data file and take them back,
 * CAP_KILL to kill its processes, CAP_DAC_OVERRIDE to empty what it left in its working directory.
 */
record Privileges(int uid, int gid, long effectiveCapabilities, boolean known) {
  private static final String[] NEEDED = {"CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_KILL", "CAP_SETGID", "CAP_SETUID"};
  private static final int[] BITS = {0, 1, 5, 6, 7};

  static final Privileges OF_THIS_JVM = read(Path.of("/proc/self/status"));

  static Privileges read(Path status) {
    try {
      return parse(Files.readAllLines(status));
    } catch (IOException e) {
      return new Privileges(-1, -1, 0, false); // not Linux: nothing can be switched
    }
  }

  /** From the lines of a /proc/PID/status: {@code Uid:} and {@code Gid:} (real, effective, ...), {@code CapEff:} in hex. */
  static Privileges parse(List<String> lines) {
    int uid = -1;
    int gid = -1;
    long caps = 0;
    for (String line : lines) {
      String[] f = line.trim().split("\\s+");
      if (f.length >= 3 && f[0].equals("Uid:")) {
        uid = Integer.parseInt(f[2]);
      } else if (f.length >= 3 && f[0].equals("Gid:")) {
        gid = Integer.parseInt(f[2]);
      } else if (f.length >= 2 && f[0].equals("CapEff:")) {
        caps = Long.parseUnsignedLong(f[1], 16);
      }
    }
    return new Privileges(uid, gid, caps, uid >= 0);
  }

  /** Whether this JVM already is that user and group: then nothing needs switching. */
  boolean is(int otherUid, int otherGid) {
    return known && uid == otherUid && gid == otherGid;
  }

  /** Null when executors may run as other users here; otherwise why not, in words an operator can act on. */
  String whyNotOtherUsers() {
    if (!known) {
      return "this platform has no /proc/self/status to tell this JVM's user and capabilities";
    }
    List<String> missing = new ArrayList<>();
    for (int i = 0; i < NEEDED.length; i++) {
      if ((effectiveCapabilities & (1L << BITS[i])) == 0) {
        missing.add(NEEDED[i]);
      }
    }
    if (missing.isEmpty()) {
      return null;
    }
    return "running an executor as another user needs the node to run as root (or with " + String.join(", ", NEEDED)
        + "): this node runs as uid " + uid + " without " + String.join(", ", missing);
  }
}
