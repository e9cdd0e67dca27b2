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
 */
final class ProcessTree {
  private static final String SETSID = "/usr/bin/setsid";
  private static final String SETPRIV = "/usr/bin/setpriv";
  private static final boolean HAS_SETSID = Files.isExecutable(Path.of(SETSID));
  private static final boolean HAS_SETPRIV = Files.isExecutable(Path.of(SETPRIV));
  /** Whether each executor leads its own process group (whose id is the executor's pid). */
  static final boolean OWN_GROUP = HAS_SETSID;

  private ProcessTree() {
  }

  static List<String> wrap(List<String> command) {
    List<String> wrapped = new ArrayList<>();
    if (HAS_SETSID) {
      wrapped.add(SETSID);
    }
    if (HAS_SETPRIV) {
      wrapped.addAll(List.of(SETPRIV, "--pdeathsig", "KILL", "--"));
    }
    wrapped.addAll(command);
    return wrapped;
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
