package dev.taskhub.agent;

import dev.taskhub.config.NodeSettings;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Starts the executor processes of this JVM's agents and tells how each ends. There are two: the
 * {@link NativeSpawner} (Linux, built with a C compiler: one helper process per JVM, nothing left behind, fencing of
 * a frozen JVM) and {@link JavaProcesses} (anywhere Java runs). Both promise the same to an {@link ExecutorRun}: its
 * listener hears the output as it comes, then exactly one {@code ended}, after the last output.
 */
interface ExecutorLauncher {

  /**
   * What to start: an absolute command, its whole environment, its working directory, and its user and limits
   * ({@link ExecutorIsolation#NONE}: the node's user, no limits). With a user, the launcher makes the working directory
   * that user's (mode 700) before the executor runs; the caller has checked that this JVM may switch users.
   */
  record LaunchRequest(List<String> command, Map<String, String> environment, Path workDir, ExecutorIsolation isolation) {
    LaunchRequest(List<String> command, Map<String, String> environment, Path workDir) {
      this(command, environment, workDir, ExecutorIsolation.NONE);
    }
  }

  /** Hears one executor; called on a thread of the launcher's, never on an event loop. */
  interface Listener {
    /** The executor runs, as this process id. */
    void started(long pid);

    /** Bytes it wrote: {@code stdout} true for standard output, false for standard error. */
    void output(boolean stdout, byte[] bytes, int offset, int length);

    /** It could not be started; {@link #ended} follows. */
    void failed(String reason);

    /**
     * It ended and so did everything it started; its output is complete. {@code exitCode} is -1 when a signal ended
     * it; {@code fenced} says the launcher killed it because this JVM stopped answering.
     */
    void ended(int exitCode, int signal, boolean fenced);
  }

  /** A started executor. */
  interface Launched {
    /** Kills the executor and everything it started; blocks briefly at most, {@link Listener#ended} tells when it is done. */
    void kill();
  }

  /** The launcher {@code agent.spawner} asks for: the native spawner when built for this platform, unless told java. */
  static ExecutorLauncher forNode(NodeSettings settings) throws IOException {
    String kind = settings.agent().spawner();
    if (kind.equals("java") || (kind.equals("auto") && !NativeSpawner.available())) {
      return JavaProcesses.shared();
    }
    if (!NativeSpawner.available()) {
      throw new IllegalStateException("agent.spawner is native, but this build carries no taskhub-spawner for "
          + System.getProperty("os.name") + " " + System.getProperty("os.arch") + " (it is built where gcc is found)");
    }
    return NativeSpawner.shared(settings.dataDir().resolve("bin").toAbsolutePath(), settings.agent().fenceSeconds() * 1000L);
  }

  /** Starts an executor; blocking only briefly (a pipe write, or a fork), so call it off the event loop. */
  Launched launch(LaunchRequest request, Listener listener) throws IOException;

  /** What this launcher is, for the agent's log. */
  String describe();
}
