package dev.taskhub.testing;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.awaitility.Awaitility.await;

/**
 * A real Taskhub node: {@code java -jar launcher/target/taskhub.jar node} in its own JVM, configured through
 * TASKHUB_* environment variables as a user would, on a random free port, logging to {@code target/node-logs/}.
 * In a {@link TestCluster} it joins that cluster; {@link #withTestFinalizer} puts the test classes (with
 * {@link RecordingFinalizer}) on its class path.
 */
public final class TaskhubNode implements AutoCloseable {
  static final Path JAR = Path.of(System.getProperty("taskhub.jar", "../launcher/target/taskhub.jar")).toAbsolutePath();
  private static final Path LOGS = Path.of("target", "node-logs").toAbsolutePath();
  private static final Path TEST_CLASSES = testClasses();
  private static final Pattern UP = Pattern.compile("Taskhub node (\\S+) is up");

  private final Map<String, String> env = new LinkedHashMap<>();
  private List<String> arguments = List.of("node");
  private List<String> asUser = List.of();
  private boolean testClasses;
  private boolean http = true;
  private final Path workDir;
  private final String name;
  private Process process;
  private int port;
  private Path log;
  private int starts;

  private TaskhubNode(String name, Path workDir) {
    this.name = name;
    this.workDir = workDir;
  }

  /** A node named after the test, working in {@code workDir} (its data.dir lives there too). */
  private javax.net.ssl.SSLContext tls;

  public static TaskhubNode named(String name, Path workDir) {
    TaskhubNode node = new TaskhubNode(name, workDir);
    node.set("data.dir", workDir.resolve("taskhub-data").toString());
    return node;
  }

  /** Sets a configuration key, passed as its environment variable ({@code agent.count} → TASKHUB_AGENT_COUNT). */
  public TaskhubNode set(String key, Object value) {
    env.put("TASKHUB_" + key.replaceAll("([a-z0-9])([A-Z])", "$1_$2").replace('.', '_').toUpperCase(), String.valueOf(value));
    return this;
  }

  /** Sets a raw environment variable of the node's JVM. */
  public TaskhubNode env(String name, String value) {
    env.put(name, value);
    return this;
  }

  public TaskhubNode database(String url) {
    return set("db.url", url);
  }

  public TaskhubNode executors(Path dir) {
    return set("executors.dir", dir.toString());
  }

  /** Joins this node to the test's cluster, on a Hazelcast port of its own. */
  public TaskhubNode cluster(TestCluster cluster) {
    return set("cluster.enabled", true).set("cluster.name", cluster.name()).set("cluster.members", cluster.members())
        .set("cluster.port", cluster.nextPort()).set("cluster.host", "127.0.0.1")
        .set("cluster.maxNoHeartbeatSeconds", cluster.maxNoHeartbeatSeconds());
  }

  /** Which verticles this node runs ({@code node.roles}); a node without "http" is awaited through its log. */
  public TaskhubNode roles(String roles) {
    http = roles.contains("http");
    return set("node.roles", roles);
  }

  /** Runs {@link RecordingFinalizer} in this node's hub: it appends "id state" per finished task to {@code file}. */
  public TaskhubNode withTestFinalizer(Path file) {
    testClasses = true;
    return env(RecordingFinalizer.FILE_ENV, file.toString());
  }

  /** {@code taskhub node --pid-file file}: the node writes its process id there, for {@code taskhub stop --pid-file}. */
  public TaskhubNode pidFile(Path file) {
    arguments = List.of("node", "--pid-file", file.toString());
    return this;
  }

  /** Runs another command of the jar instead of {@code node}, e.g. the classic {@code run <verticle> -cluster}. */
  public TaskhubNode command(String... arguments) {
    this.arguments = List.of(arguments);
    http = false;
    return this;
  }

  /** Runs the node's JVM as another user and its group (util-linux setpriv; the test must run as root). */
  public TaskhubNode runAs(String user) {
    asUser = List.of("setpriv", "--reuid=" + user, "--regid=" + user, "--init-groups", "--");
    return this;
  }

  /**
   * Runs the node's JVM as another user that holds these capabilities ({@code setuid,setgid,…}) in its ambient set,
   * as systemd's {@code User=} with {@code AmbientCapabilities=} would.
   */
  public TaskhubNode runAs(String user, String capabilities) {
    String caps = "+" + capabilities.replace(",", ",+");
    asUser = List.of("setpriv", "--reuid=" + user, "--regid=" + user, "--init-groups", "--inh-caps=" + caps,
        "--ambient-caps=" + caps, "--");
    return this;
  }

  /** Starts the JVM and waits until its HTTP API answers /health (a node without HTTP: until it says it is up). */
  public TaskhubNode start() throws Exception {
    launch();
    Api api = api();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("node " + name + " exited with " + process.exitValue() + ":\n" + Files.readString(log));
      }
      if (http) {
        try {
          if (api.get("/health").status() == 200) {
            return this;
          }
        } catch (IllegalStateException notYet) {
          // not listening yet
        }
      } else if (UP.matcher(Files.readString(log)).find()) {
        return this;
      }
      Thread.sleep(100);
    }
    kill9(); // a node that failed to start must not outlive the test that started it
    throw new IllegalStateException("node " + name + " did not come up within 90 s:\n" + Files.readString(log));
  }

  private void launch() throws IOException {
    port = Ports.free();
    set("http.port", port);
    Files.createDirectories(LOGS);
    log = LOGS.resolve(name + (starts++ == 0 ? "" : "-" + starts) + ".log");
    List<String> command = new ArrayList<>(asUser);
    command.addAll(List.of(javaBin(), "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
    if (testClasses) {
      command.addAll(List.of("-cp", JAR + File.pathSeparator + TEST_CLASSES, "dev.taskhub.launcher.Main"));
    } else {
      command.addAll(List.of("-jar", JAR.toString()));
    }
    command.addAll(arguments);
    ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile())
        .redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().putAll(env);
    process = builder.start();
  }

  /** How a node that was expected to refuse to start ended: its exit code and everything it printed. */
  public record Exit(int code, String output) {
  }

  /** Starts the JVM expecting it to stop by itself (a refused configuration); kills it if it is still up after the wait. */
  public Exit startExpectingExit(Duration within) throws Exception {
    launch();
    if (!process.waitFor(within.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
      throw new AssertionError("node " + name + " was still running after " + within + ":\n" + Files.readString(log));
    }
    return new Exit(process.exitValue(), Files.readString(log));
  }

  /** The port its HTTP API listens on (or would). */
  public int port() {
    return port;
  }

  /** The node serves HTTPS with this certificate; {@link #api()} trusts what {@code client} trusts. */
  public TaskhubNode https(TestCertificates.Issued certificate, javax.net.ssl.SSLContext client) {
    tls = client;
    return set("http.tls.certFile", certificate.cert()).set("http.tls.keyFile", certificate.key());
  }

  public Api api() {
    if (tls != null) {
      return new Api("https://127.0.0.1:" + port, tls);
    }
    return new Api("http://127.0.0.1:" + port);
  }

  public long pid() {
    return process.pid();
  }

  public Path log() {
    return log;
  }

  public String logText() throws IOException {
    return Files.readString(log);
  }

  /** kill -9: no shutdown hook runs, nothing is released. */
  public void kill9() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  /** kill -STOP: the JVM hangs (its executors, in their own sessions, go on). */
  public void pause() throws Exception {
    signal("STOP");
  }

  /** kill -CONT: the hung JVM wakes up. */
  public void resume() throws Exception {
    signal("CONT");
  }

  private void signal(String name) throws Exception {
    new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start().waitFor(10, TimeUnit.SECONDS);
  }

  /** The node id it printed when it came up (name@clusterNodeId in a cluster). */
  public String nodeId() throws IOException {
    Matcher m = UP.matcher(logText());
    if (!m.find()) {
      throw new IllegalStateException("node " + name + " has not said its id yet");
    }
    return m.group(1);
  }

  /** Waits until the node's log contains {@code text}. */
  public void awaitLog(String text, Duration within) {
    await().atMost(within).pollInterval(Duration.ofMillis(200)).until(() -> logText().contains(text));
  }

  /**
   * A graceful stop (SIGTERM), as an operator would: the node drains — its running tasks have
   * {@code node.shutdownGraceSeconds} to end — then exits. Waits up to 90 s for that, then kills it (-9).
   */
  public void stop() throws InterruptedException {
    if (process != null && process.isAlive()) {
      process.destroy();
      if (!process.waitFor(90, TimeUnit.SECONDS)) {
        kill9();
      }
    }
  }

  /** SIGTERM and return at once: the node drains, then exits (see {@link #awaitExit}); again, it kills what still runs. */
  public void terminate() throws Exception {
    signal("TERM");
  }

  /** Waits until the JVM has exited and returns its exit code. */
  public int awaitExit(Duration within) throws Exception {
    if (!process.waitFor(within.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError("node " + name + " still runs after " + within + ":\n" + logText());
    }
    return process.exitValue();
  }

  public boolean isRunning() {
    return process != null && process.isAlive();
  }

  /**
   * The end of a test: SIGTERM, and if the node still drains two seconds later a second one, so that what it runs is
   * killed and released at once rather than after the grace (a test has no use for the tasks it leaves running).
   */
  @Override
  public void close() throws InterruptedException {
    if (process == null || !process.isAlive()) {
      return;
    }
    process.destroy();
    if (!process.waitFor(2, TimeUnit.SECONDS)) {
      process.destroy();
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        kill9();
      }
    }
  }

  /** Whether a process runs; a zombie (dead, not yet reaped by its parent) counts as dead. */
  public static boolean isAlive(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
    } catch (IOException e) {
      return false;
    }
  }

  private static Path testClasses() {
    try {
      return Path.of(RecordingFinalizer.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (Exception e) {
      return Path.of("target", "test-classes").toAbsolutePath();
    }
  }

  static String javaBin() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  public static Duration seconds(long s) {
    return Duration.ofSeconds(s);
  }
}
