package dev.taskhub.agent;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Executors started by {@code taskhub-spawner} (src/main/c), one helper process per JVM shared by its agents: it
 * forks each executor under a subreaper shim in a session of its own, multiplexes their output back on one pipe,
 * kills everything of a task when it ends, and kills everything of this JVM when the JVM dies or falls silent for
 * {@code agent.fenceSeconds} (a heartbeat thread here keeps it quiet). The hazard is the helper itself dying: the
 * runs it held are reported ended, their process groups killed from here, and the next launch starts a new helper.
 */
final class NativeSpawner implements ExecutorLauncher {
  private static final Logger log = LoggerFactory.getLogger(NativeSpawner.class);
  private static final String RESOURCE = "native/taskhub-spawner-linux-" + System.getProperty("os.arch");
  private static final Map<Path, NativeSpawner> SHARED = new ConcurrentHashMap<>();

  private final Path binDir;
  private final long fenceMs;
  private final AtomicLong keys = new AtomicLong();
  private final Map<Long, Run> runs = new ConcurrentHashMap<>();
  private Process process; // guarded by this
  private OutputStream toSpawner; // guarded by this

  private static final class Run {
    final Listener listener;
    volatile long pid;

    Run(Listener listener) {
      this.listener = listener;
    }
  }

  private NativeSpawner(Path binDir, long fenceMs) {
    this.binDir = binDir;
    this.fenceMs = fenceMs;
  }

  /** Whether this JVM carries a spawner for its platform (Linux, built where a C compiler was found). */
  static boolean available() {
    return System.getProperty("os.name", "").equals("Linux") && NativeSpawner.class.getResource(RESOURCE) != null;
  }

  /**
   * The node's spawner, its binary kept under {@code binDir} (in {@code data.dir}); one per data directory, so one per
   * node. The first agent's fence setting holds for all: every agent of a node reads the same configuration.
   */
  static NativeSpawner shared(Path binDir, long fenceMs) {
    return SHARED.computeIfAbsent(binDir.toAbsolutePath().normalize(), dir -> new NativeSpawner(dir, fenceMs));
  }

  @Override
  public String describe() {
    return "taskhub-spawner (executors die with their task, and when this JVM is silent for " + fenceMs + " ms)";
  }

  @Override
  public Launched launch(LaunchRequest request, Listener listener) throws IOException {
    long key = keys.incrementAndGet();
    Run run = new Run(listener);
    runs.put(key, run);
    ByteArrayOutputStream frame = new ByteArrayOutputStream(512);
    frame.write('S');
    frame.writeBytes(longBytes(key));
    ExecutorIsolation isolation = request.isolation();
    string(frame, request.workDir().toString());
    string(frame, text(isolation.uid()));         // the spawner chowns the working directory to uid:gid, mode 700
    string(frame, text(isolation.gid()));         // the only group: setgroups(1, {gid})
    string(frame, text(isolation.openFiles()));   // RLIMIT_NOFILE
    string(frame, text(isolation.cpuSeconds()));  // RLIMIT_CPU
    string(frame, text(isolation.memoryBytes())); // RLIMIT_AS
    string(frame, Integer.toString(request.command().size()));
    request.command().forEach(arg -> string(frame, arg));
    string(frame, Integer.toString(request.environment().size()));
    request.environment().forEach((name, value) -> string(frame, name + "=" + value));
    try {
      send(frame.toByteArray());
    } catch (IOException e) {
      runs.remove(key);
      throw e;
    }
    return () -> {
      ByteArrayOutputStream kill = new ByteArrayOutputStream(9);
      kill.write('K');
      kill.writeBytes(longBytes(key));
      try {
        send(kill.toByteArray());
      } catch (IOException e) {
        log.warn("cannot ask the spawner to kill an executor: {}", e.toString());
      }
    };
  }

  private synchronized void send(byte[] payload) throws IOException {
    if (process == null || !process.isAlive()) {
      begin();
    }
    byte[] length = ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(payload.length).array();
    toSpawner.write(length);
    toSpawner.write(payload);
    toSpawner.flush();
  }

  /** Starts the helper, its reader and its heartbeat. */
  private void begin() throws IOException {
    Path binary = install(binDir);
    Process started = new ProcessBuilder(binary.toString(), "--fence-ms", Long.toString(fenceMs))
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    process = started;
    toSpawner = started.getOutputStream();
    daemon("taskhub-spawner-reader", () -> read(started));
    daemon("taskhub-spawner-heartbeat", () -> heartbeat(started));
    log.info("executor spawner {} started as pid {}", binary, started.pid());
  }

  private void heartbeat(Process spawner) {
    byte[] beat = {'H'};
    long periodMs = Math.max(20, Math.min(250, fenceMs / 4));
    while (spawner.isAlive()) {
      try {
        synchronized (this) {
          if (process != spawner) {
            return;
          }
          send(beat);
        }
        Thread.sleep(periodMs);
      } catch (IOException e) {
        return; // the reader sees the helper go
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** Dispatches the helper's frames to the runs until it goes away. */
  private void read(Process spawner) {
    try (DataInputStream in = new DataInputStream(spawner.getInputStream())) {
      byte[] header = new byte[4];
      for (;;) {
        in.readFully(header);
        int length = ByteBuffer.wrap(header).order(ByteOrder.nativeOrder()).getInt();
        byte[] frame = new byte[length];
        in.readFully(frame);
        dispatch(ByteBuffer.wrap(frame).order(ByteOrder.nativeOrder()));
      }
    } catch (EOFException e) {
      // the helper ended
    } catch (IOException e) {
      log.warn("reading from the executor spawner failed: {}", e.toString());
    }
    lost(spawner);
  }

  private void dispatch(ByteBuffer frame) {
    char op = (char) frame.get();
    if (op == 'F') {
      log.warn("this JVM was silent for over {} ms: the spawner killed its {} executors (their tasks run elsewhere)",
          fenceMs, frame.getInt());
      return;
    }
    long key = frame.getLong();
    Run run = op == 'Q' ? runs.remove(key) : runs.get(key);
    if (run == null) {
      return;
    }
    switch (op) {
      case 'P' -> {
        run.pid = frame.getInt();
        run.listener.started(run.pid);
      }
      case 'O', 'E' -> run.listener.output(op == 'O', frame.array(), frame.position(), frame.remaining());
      case 'X' -> {
        frame.getInt(); // errno
        run.listener.failed(StandardCharsets.UTF_8.decode(frame).toString());
      }
      case 'Q' -> run.listener.ended(frame.getInt(), frame.getInt(), frame.get() != 0);
      default -> log.warn("unknown frame '{}' from the executor spawner", op);
    }
  }

  /** The helper died (killed by hand?): what it held cannot be watched any more; kill it from here and say so. */
  private void lost(Process spawner) {
    synchronized (this) {
      if (process == spawner) {
        process = null;
      }
    }
    int exit = spawner.isAlive() ? -1 : spawner.exitValue();
    if (runs.isEmpty()) {
      return;
    }
    log.error("the executor spawner ended (exit {}) with {} executors running: they are killed", exit, runs.size());
    for (Long key : List.copyOf(runs.keySet())) {
      Run run = runs.remove(key);
      if (run != null) {
        if (run.pid > 0) {
          ProcessTree.killGroup(run.pid);
        }
        run.listener.failed("the executor spawner ended while it ran");
        run.listener.ended(-1, 9, false);
      }
    }
  }

  private static void daemon(String name, Runnable body) {
    Thread t = new Thread(body, name);
    t.setDaemon(true);
    t.start();
  }

  /** Writes the binary from the jar to {@code binDir}, named after its digest, unless it is there already. */
  private static Path install(Path binDir) throws IOException {
    byte[] bytes;
    try (InputStream in = NativeSpawner.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IOException("this build carries no " + RESOURCE);
      }
      bytes = in.readAllBytes();
    }
    String digest;
    try {
      digest = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)).substring(0, 12);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    Files.createDirectories(binDir);
    // The node's own: an executor's user must not replace (or even list) what the next start runs as root.
    Files.setPosixFilePermissions(binDir, PosixFilePermissions.fromString("rwx------"));
    Path target = binDir.resolve("taskhub-spawner-" + digest);
    if (Files.isExecutable(target) && Files.size(target) == bytes.length) {
      return target;
    }
    Path temp = Files.createTempFile(binDir, "taskhub-spawner", ".tmp");
    Files.write(temp, bytes);
    Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rwx------"));
    return Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  private static byte[] longBytes(long value) {
    return ByteBuffer.allocate(8).order(ByteOrder.nativeOrder()).putLong(value).array();
  }

  /** A number for the spawner, or "" for unset. */
  private static String text(Number value) {
    return value == null ? "" : value.toString();
  }

  private static void string(ByteArrayOutputStream out, String value) {
    if (value.indexOf('\0') >= 0) {
      throw new IllegalArgumentException("a NUL character cannot be passed to a process: " + value.replace('\0', '?'));
    }
    out.writeBytes(value.getBytes(StandardCharsets.UTF_8));
    out.write(0);
  }
}
