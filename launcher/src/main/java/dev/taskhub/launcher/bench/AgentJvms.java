package dev.taskhub.launcher.bench;

import dev.taskhub.launcher.FreePorts;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Agent-only nodes in JVMs of their own, started from the running taskhub.jar ({@code java -jar taskhub.jar node},
 * configured through TASKHUB_* variables as a user would), each logging to {@code <dir>/agents-<n>/node.log}. They are
 * stopped when closed and, should the bench be interrupted, by a shutdown hook: none may outlive the bench.
 */
final class AgentJvms implements AutoCloseable {
  private final List<Process> processes = new ArrayList<>();
  private final List<Path> logs = new ArrayList<>();
  private final Thread stopOnExit = new Thread(this::stop, "bench-stop-agent-jvms");

  private AgentJvms() {
  }

  /** Starts {@code count} JVMs with {@code env} (each also gets its own data.dir, node.id and Hazelcast port). */
  static AgentJvms start(int count, Map<String, String> env, Path dir) throws IOException {
    Path jar = runningJar();
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    AgentJvms jvms = new AgentJvms();
    Runtime.getRuntime().addShutdownHook(jvms.stopOnExit);
    try {
      for (int i = 1; i <= count; i++) {
        Path work = Files.createDirectories(dir.resolve("agents-" + i));
        Path log = work.resolve("node.log");
        // Started from its own folder: no conf/override.yaml or conf/cluster.xml of the user's changes it.
        ProcessBuilder builder = new ProcessBuilder(java, "-Xmx256m", "-jar", jar.toString(), "node")
            .directory(work.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().keySet().removeIf(name -> name.startsWith("TASKHUB_"));
        builder.environment().putAll(env);
        builder.environment().put("TASKHUB_DATA_DIR", work.resolve("data").toString());
        builder.environment().put("TASKHUB_NODE_ID", "bench-agents-" + i);
        builder.environment().put("TASKHUB_CLUSTER_PORT", Integer.toString(FreePorts.next()));
        jvms.processes.add(builder.start());
        jvms.logs.add(log);
      }
    } catch (IOException | RuntimeException e) {
      jvms.close();
      throw e;
    }
    return jvms;
  }

  /** Fails, with the end of its log, when one of them has exited. */
  void checkAlive() throws IOException {
    for (int i = 0; i < processes.size(); i++) {
      if (!processes.get(i).isAlive()) {
        String log = Files.readString(logs.get(i));
        throw new IllegalStateException("agent JVM " + (i + 1) + " exited with " + processes.get(i).exitValue() + ":\n"
            + log.substring(Math.max(0, log.length() - 3000)));
      }
    }
  }

  @Override
  public void close() {
    try {
      Runtime.getRuntime().removeShutdownHook(stopOnExit);
    } catch (IllegalStateException shuttingDown) {
      // the hook runs anyway
    }
    stop();
  }

  /** SIGTERM (the node stops its agents), then SIGKILL for any still up after 15 s. */
  private void stop() {
    processes.forEach(Process::destroy);
    for (Process p : processes) {
      try {
        if (!p.waitFor(15, TimeUnit.SECONDS)) {
          p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        p.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
  }

  /** The taskhub.jar this JVM was started from; the agent JVMs run the same code as the bench. */
  static Path runningJar() {
    try {
      Path location = Path.of(AgentJvms.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      if (Files.isRegularFile(location) && location.toString().endsWith(".jar")) {
        return location;
      }
    } catch (URISyntaxException | RuntimeException e) {
      // fall through
    }
    throw new IllegalStateException("--dispatch starts agent JVMs from taskhub.jar: run it as java -jar taskhub.jar bench --dispatch");
  }
}
