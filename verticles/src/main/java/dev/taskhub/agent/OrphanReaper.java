package dev.taskhub.agent;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Kills what executors leave behind when this JVM dies. {@code setpriv --pdeathsig} kills only an executor itself;
 * the processes it started live on in its process group. So each JVM starts one small watchdog shell, in a session
 * of its own, reading "+ pgid" / "- pgid" lines on a pipe whose other end only this JVM holds (Java children inherit
 * no other descriptors). When the JVM dies — kill -9 included — the pipe closes, and the watchdog kills every group
 * still registered, then exits. One process per JVM rather than one per executor keeps the cost of a task start
 * unchanged. Without util-linux {@code setsid} there are no groups to kill and this does nothing.
 */
final class OrphanReaper {
  private static final Logger log = LoggerFactory.getLogger(OrphanReaper.class);
  private static final String SETSID = "/usr/bin/setsid";
  private static final String SCRIPT = """
      live=" "
      while read -r op g; do
        case "$op" in
          +) live="$live$g " ;;
          -) case "$live" in *" $g "*) live="${live%% $g *} ${live#* $g }" ;; esac ;;
        esac
      done
      for g in $live; do kill -KILL "-$g" 2>/dev/null; done
      """;

  private static OrphanReaper instance;
  private final OutputStream pipe;

  private OrphanReaper(OutputStream pipe) {
    this.pipe = pipe;
  }

  /** The JVM's reaper, started on first use; null when it cannot run here. */
  private static synchronized OrphanReaper get() {
    if (instance == null && Files.isExecutable(Path.of(SETSID))) {
      try {
        Process watchdog = new ProcessBuilder(SETSID, "/bin/sh", "-c", SCRIPT)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        instance = new OrphanReaper(watchdog.getOutputStream());
      } catch (IOException e) {
        log.warn("cannot start the executor watchdog ({}): processes started by executors may outlive a killed node", e.toString());
      }
    }
    return instance;
  }

  /** Registers an executor's process group (its pid, as it leads a new session). */
  static void watch(long pgid) {
    send("+ " + pgid);
  }

  /** The executor ended and its group was dealt with: nothing to kill there any more. */
  static void forget(long pgid) {
    send("- " + pgid);
  }

  private static void send(String line) {
    OrphanReaper reaper = get();
    if (reaper == null) {
      return;
    }
    synchronized (reaper) {
      try {
        reaper.pipe.write((line + "\n").getBytes(StandardCharsets.US_ASCII));
        reaper.pipe.flush();
      } catch (IOException e) {
        log.debug("executor watchdog gone: {}", e.toString());
      }
    }
  }
}
