package dev.taskhub.agent;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Removes the working directories that executors of an earlier run of this node left under {@code data.dir/work}:
 * an attempt cleans up its own when it ends, but not when its JVM was killed. Only ours: directories (not links)
 * named as {@link WorkDir} names an agent's folder, {@code agent-…}, or as earlier releases named an attempt's,
 * {@code task-<id>-<attempt>-…}. Only old ones: made before this JVM
 * started, and only by a JVM that has left: the sweeping JVM holds a lock on {@code work/.taskhub-lock} for as long as
 * it lives (the kernel drops it when a JVM dies, kill -9 included), and one that cannot take it leaves everything alone,
 * since another live node shares this data.dir and its executors may be running there.
 */
public final class LeftoverWorkDirectories {
  private static final Logger log = LoggerFactory.getLogger(LeftoverWorkDirectories.class);
  private static final Pattern OURS = Pattern.compile("agent-.+|task-\\d+-\\d+-.+");
  private static final Map<Path, FileLock> HELD = new HashMap<>(); // for the life of this JVM; one sweep per root

  private LeftoverWorkDirectories() {
  }

  /** Sweeps {@code workRoot} once per JVM; blocking (file system): call it off the event loop. How many it removed. */
  public static synchronized int sweep(Path workRoot) throws IOException {
    workRoot = workRoot.toAbsolutePath().normalize();
    if (HELD.containsKey(workRoot)) {
      return 0; // this JVM swept it already: its own agents may be running there now
    }
    Files.createDirectories(workRoot);
    FileChannel channel = FileChannel.open(workRoot.resolve(".taskhub-lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    FileLock lock;
    try {
      lock = channel.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null; // another part of this JVM holds it (several nodes in one JVM, in tests)
    }
    if (lock == null) {
      channel.close();
      log.info("another live node uses {}: its working directories are left alone", workRoot);
      return 0;
    }
    HELD.put(workRoot, lock);
    Instant jvmStart = Instant.ofEpochMilli(ManagementFactory.getRuntimeMXBean().getStartTime());
    int removed = 0;
    try (Stream<Path> entries = Files.list(workRoot)) {
      for (Path dir : (Iterable<Path>) entries::iterator) {
        if (OURS.matcher(dir.getFileName().toString()).matches() && Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)
            && Files.getLastModifiedTime(dir, LinkOption.NOFOLLOW_LINKS).toInstant().isBefore(jvmStart)) {
          if (delete(dir)) {
            removed++;
          }
        }
      }
    }
    if (removed > 0) {
      log.info("removed {} working directories left under {} by executors of an earlier run", removed, workRoot);
    }
    return removed;
  }

  /** Deletes a tree without following links (a link inside is removed, not what it points to). */
  private static boolean delete(Path dir) {
    try {
      Files.walkFileTree(dir, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
          Files.delete(file);
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
          Files.delete(d);
          return FileVisitResult.CONTINUE;
        }
      });
      return true;
    } catch (IOException | RuntimeException e) {
      log.warn("could not remove {} left by an earlier run: {}", dir, e.toString());
      return false;
    }
  }
}
