package dev.taskhub.agent;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Executors started with the JVM's own {@link ProcessBuilder}, where the native spawner is not available (or
 * {@code agent.spawner: java}): each in a session of its own under {@code setsid}, dying with its agent through
 * {@code setpriv --pdeathsig} and the {@link OrphanReaper}; two pooled threads read its stdout and stderr. Weaker than
 * the spawner in two ways, both written in the README: a process that starts a session of its own escapes the group
 * kill, and a frozen JVM does not stop its executors. An executor's user and limits are honoured through util-linux
 * ({@code setpriv}, {@code prlimit}), as the spawner honours them with setuid and setrlimit; where those programs are
 * missing such an executor is refused (its attempt fails with ExecutorStartFailed, saying which is missing).
 */
final class JavaProcesses implements ExecutorLauncher {
  private static final JavaProcesses SHARED = new JavaProcesses();

  private final ExecutorService readers = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "taskhub-executor-output");
    t.setDaemon(true);
    return t;
  });

  static JavaProcesses shared() {
    return SHARED;
  }

  @Override
  public String describe() {
    return "Java processes" + (ProcessTree.OWN_GROUP ? " under setsid" : "");
  }

  @Override
  public Launched launch(LaunchRequest request, Listener listener) throws IOException {
    ExecutorIsolation isolation = request.isolation();
    List<String> command = ProcessTree.wrap(request.command(), isolation);
    if (isolation.switchesUser()) { // as the spawner does: the working directory becomes the user's alone
      Files.setPosixFilePermissions(request.workDir(), PosixFilePermissions.fromString("rwx------"));
      Files.setAttribute(request.workDir(), "unix:gid", isolation.gid(), LinkOption.NOFOLLOW_LINKS);
      Files.setAttribute(request.workDir(), "unix:uid", isolation.uid(), LinkOption.NOFOLLOW_LINKS);
    }
    ProcessBuilder builder = new ProcessBuilder(command).directory(request.workDir().toFile())
        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    builder.environment().clear();
    builder.environment().putAll(request.environment());
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      listener.failed(e.getMessage());
      listener.ended(-1, 0, false);
      return () -> { };
    }
    if (ProcessTree.OWN_GROUP) {
      OrphanReaper.watch(process.pid());
    }
    listener.started(process.pid());
    var out = readers.submit(() -> copy(process.getInputStream(), true, listener));
    var err = readers.submit(() -> copy(process.getErrorStream(), false, listener));
    process.onExit().thenRun(() -> {
      try {
        // The pipes close when their last holder exits. If they stay open, a child of the executor outlived it
        // while holding them: the attempt is over, so that child is killed with the executor's group.
        try {
          out.get(1, TimeUnit.SECONDS);
          err.get(100, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
          ProcessTree.killGroup(process.pid());
        }
        out.get();
        err.get();
      } catch (Exception e) {
        // a reader failed: the output is as complete as it will get
      }
      if (ProcessTree.OWN_GROUP) {
        OrphanReaper.forget(process.pid());
      }
      listener.ended(process.exitValue(), 0, false); // the JVM reports a signal as 128 + its number
    });
    return () -> ProcessTree.kill(process);
  }

  private static Void copy(InputStream in, boolean stdout, Listener listener) {
    byte[] buffer = new byte[8192];
    try (in) {
      for (int n; (n = in.read(buffer)) >= 0; ) {
        listener.output(stdout, buffer, 0, n);
      }
    } catch (IOException e) {
      // the stream closed under us: the process was killed
    }
    return null;
  }
}
