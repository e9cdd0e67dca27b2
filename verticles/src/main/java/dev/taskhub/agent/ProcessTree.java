package dev.taskhub.agent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Starting an executor so that it and everything it starts can be killed together, and dies with its agent.
 * The executor leads a new session ({@code setsid}), so one signal to its process group reaches children that
 * detached from the tree; {@code setpriv --pdeathsig KILL} kills it if the thread that started it (the agent's
 * launcher thread) or the whole JVM dies. Both are util-linux; without them we fall back to walking the tree.
 * An executor's user and limits come from util-linux too: {@code prlimit} sets the limits, then {@code setpriv} takes
 * the user's uid and primary group only (and sets the death signal after that change, which would clear it).
 */
final class ProcessTree {
  private static final String SETSID = "/usr/bin/setsid";
  private static final String SETPRIV = "/usr/bin/setpriv";
  private static final String PRLIMIT = "/usr/bin/prlimit";
  private static final boolean HAS_SETSID = Files.isExecutable(Path.of(SETSID));
  private static final boolean HAS_SETPRIV = Files.isExecutable(Path.of(SETPRIV));
  private static final boolean HAS_PRLIMIT = Files.isExecutable(Path.of(PRLIMIT));
  /** Whether each executor leads its own process group (whose id is the executor's pid). */
  static final boolean OWN_GROUP = HAS_SETSID;

  private ProcessTree() {
  }

  /** The command under setsid, prlimit and setpriv as needed; refused when a user or limit cannot be honoured here. */
  static List<String> wrap(List<String> command, ExecutorIsolation isolation) throws IOException {
    List<String> wrapped = new ArrayList<>();
    if (HAS_SETSID) {
      wrapped.add(SETSID);
    }
    if (isolation.limited()) {
      if (!HAS_PRLIMIT) {
        throw new IOException("limits.* need util-linux " + PRLIMIT + " (or the native spawner), which this node lacks");
      }
      wrapped.add(PRLIMIT);
      limit(wrapped, "--nofile=", isolation.openFiles(), 0);
      limit(wrapped, "--cpu=", isolation.cpuSeconds(), 1); // SIGXCPU at the limit says why, SIGKILL a second later
      limit(wrapped, "--as=", isolation.memoryBytes(), 0);
      wrapped.add("--");
    }
    if (isolation.switchesUser() && !HAS_SETPRIV) {
      throw new IOException("user= needs util-linux " + SETPRIV + " (or the native spawner), which this node lacks");
    }
    if (HAS_SETPRIV) {
      wrapped.add(SETPRIV);
      if (isolation.switchesUser()) {
        wrapped.addAll(List.of("--reuid=" + isolation.uid(), "--regid=" + isolation.gid(), "--groups=" + isolation.gid(),
            "--inh-caps=-all", "--ambient-caps=-all")); // a node with ambient capabilities would pass them on
      }
      wrapped.addAll(List.of("--pdeathsig", "KILL", "--"));
    }
    wrapped.addAll(command);
    return wrapped;
  }

  private static void limit(List<String> wrapped, String option, Long soft, long hardAbove) {
    if (soft != null) {
      wrapped.add(option + soft + ":" + (soft + hardAbove));
    }
  }

  /** Kills the process, its process group and every descendant still attached to it. Blocking (briefly). */
  static void kill(Process process) {
    List<ProcessHandle> descendants = process.descendants().toList();
    killGroup(process.pid());
    process.destroyForcibly();
    descendants.forEach(ProcessHandle::destroyForcibly);
  }

  /** Sends KILL to the process group that {@code setsid} made for the executor: its id is the executor's pid. */
  static void killGroup(long pid) {
    if (!HAS_SETSID) {
      return;
    }
    try {
      new ProcessBuilder("kill", "-KILL", "--", "-" + pid).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor(5, TimeUnit.SECONDS);
    } catch (IOException e) {
      // the caller also kills what it can reach through the process tree
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
