package dev.taskhub.agent;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

import static java.nio.file.LinkOption.NOFOLLOW_LINKS;

/**
 * An agent's working directory for its executors, {@code data.dir/work/agent-<id>}: one per agent, empty when an attempt
 * starts and emptied when it ends, so every executor starts in a fresh, empty folder of its own. A folder per attempt
 * was made and removed before: {@code taskhub bench} showed its mkdir and rmdir at over half the file-system time of a
 * task on ext4 (182 µs against 39 µs for the data file), so the folder stays and only what is in it goes. The data
 * file stays too, emptied: a profile of {@code taskhub bench} found a quarter of the launching thread's time in ext4
 * looking for a free inode that was not recently deleted ({@code recently_deleted}), for the file made and removed
 * for every task. It is rewritten in place — unless it is no longer a plain file of this node's, then it goes.
 *
 * <p>An executor with {@code user=} gets the folder lent for its attempt (its launcher chowns it). The hazard is the
 * node, as root, working in a folder another user controls: that user's other processes could swap a file for a
 * symbolic link to one of the node's. So the folder is taken back (ours, mode 700) before anything in it is touched,
 * and emptied through {@link SecureDirectoryStream} (openat and unlinkat, never following a link).
 */
final class WorkDir {
  /** The task's data, {@code TASKHUB_DATA_FILE}. */
  static final String DATA_FILE = "task-data.json";

  private final Path path;
  /**
   * Whether an executor's user may own the folder now: until the first {@link #reclaim} (a crash may have left it
   * lent), and from each {@link #lend} on. Set and read by the threads that start and end attempts, one after another.
   */
  private volatile boolean mayBeLent = true;

  private WorkDir(Path path) {
    this.path = path;
  }

  /** The agent's folder, created (and emptied of anything a crash left) now. Blocking. */
  static WorkDir of(Path root, String agentId) throws IOException {
    WorkDir dir = new WorkDir(root.resolve("agent-" + agentId.replaceAll("[^A-Za-z0-9._-]", "_")).toAbsolutePath());
    Files.createDirectories(dir.path);
    try { // data.dir/work: others may pass through (an executor's user reaches its own folder) but not list it
      Files.setPosixFilePermissions(dir.path.getParent(), PosixFilePermissions.fromString("rwx--x--x"));
    } catch (IOException | UnsupportedOperationException e) {
      // not ours, or not a POSIX file system: its mode stays as it was made
    }
    dir.empty();
    return dir;
  }

  Path path() {
    return path;
  }

  /**
   * Writes an attempt's data to {@link #DATA_FILE} and returns its path: over the emptied file {@link #empty} kept, or a
   * new one. Never through a link: with user= the folder was another user's until {@link #empty} took it back.
   */
  Path writeData(byte[] data) throws IOException {
    Path file = path.resolve(DATA_FILE);
    // Written over from the start and cut to its length, never opened with O_TRUNC: ext4 takes "truncate to zero, then
    // write" for a file being replaced and writes it out to disk when it is closed (auto_da_alloc). That was a disk
    // write per task, a third of the launching thread's time; unwritten, the page is simply dropped when emptied.
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
      ByteBuffer buffer = ByteBuffer.wrap(data);
      while (buffer.hasRemaining()) {
        channel.write(buffer, buffer.position());
      }
      if (channel.size() > data.length) {
        channel.truncate(data.length);
      }
    }
    return file;
  }

  /**
   * Removes everything in the folder but an emptied data file, the folder stays (taken back from an executor's user
   * first). Blocking.
   */
  void empty() {
    try {
      reclaim();
      String keep = emptyDataFile() ? DATA_FILE : null;
      try (DirectoryStream<Path> entries = Files.newDirectoryStream(path)) {
        if (entries instanceof SecureDirectoryStream<Path> secure) {
          deleteContents(secure, keep);
        } else {
          deleteByPath(entries, keep);
        }
      }
    } catch (IOException | RuntimeException e) {
      // what could not be removed is removed before the next attempt starts, or at the agent's next start
    }
  }

  /**
   * Empties the data file where it can stay: a plain file of this node's user with no other name. One an executor's
   * user owns (user=) goes instead, with its inode: a process of that user may still hold it open, and must not read
   * the next task's data through it; so does one with another link, which could be read through that link.
   */
  private boolean emptyDataFile() {
    Path file = path.resolve(DATA_FILE);
    try {
      Map<String, Object> a = Files.readAttributes(file, "unix:mode,uid,nlink,size", LinkOption.NOFOLLOW_LINKS);
      boolean plain = ((Integer) a.get("mode") & 0170000) == 0100000 && (Integer) a.get("nlink") == 1;
      Privileges self = Privileges.OF_THIS_JVM;
      if (!plain || (self.known() && !Integer.valueOf(self.uid()).equals(a.get("uid")))) {
        return false;
      }
      if ((Long) a.get("size") == 0) {
        return true; // emptied when the last attempt ended
      }
      try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
        channel.truncate(0);
      }
      return true;
    } catch (IOException | RuntimeException e) {
      return false; // none yet, or gone: a new one is made
    }
  }

  /**
   * Lends the attempt's data file to the executor's user, after checking that this user can reach the folder at all:
   * every parent must let it pass (search permission), or the executor would fail with a bare "Permission denied".
   */
  void lend(ExecutorIsolation isolation, Path dataFile) throws IOException {
    mayBeLent = true;
    for (Path parent = path.getParent(); parent != null; parent = parent.getParent()) {
      Map<String, Object> a = Files.readAttributes(parent, "unix:mode,uid,gid");
      int mode = (Integer) a.get("mode");
      boolean passes = isolation.uid().equals(a.get("uid")) ? (mode & 0100) != 0
          : isolation.gid().equals(a.get("gid")) ? (mode & 0010) != 0 : (mode & 0001) != 0;
      if (!passes) {
        throw new IOException("user " + isolation.user() + " cannot reach its working directory " + path + ": "
            + parent + " has mode " + Integer.toOctalString(mode & 07777) + "; give data.dir and every folder above it "
            + "search permission for others (chmod o+x, e.g. mode 711: passing through, not listing)");
      }
    }
    Files.setAttribute(dataFile, "unix:gid", isolation.gid(), NOFOLLOW_LINKS);
    Files.setAttribute(dataFile, "unix:uid", isolation.uid(), NOFOLLOW_LINKS);
  }

  /**
   * The folder becomes this JVM's again, mode 700: no other user can change what is in it from now on. Only a folder
   * that may have been lent is looked at: no other user can take a folder that was never given away.
   */
  private void reclaim() throws IOException {
    if (!mayBeLent) {
      return;
    }
    Privileges self = Privileges.OF_THIS_JVM;
    if (self.known() && !Integer.valueOf(self.uid()).equals(Files.getAttribute(path, "unix:uid", NOFOLLOW_LINKS))) {
      Files.setAttribute(path, "unix:uid", self.uid(), NOFOLLOW_LINKS);
      Files.setAttribute(path, "unix:gid", self.gid(), NOFOLLOW_LINKS);
      Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rwx------"));
    }
    mayBeLent = false;
  }

  /** Deletes relative to open directories, never following a symbolic link: what a link points to stays. */
  private static void deleteContents(SecureDirectoryStream<Path> dir, String keep) {
    for (Path entry : dir) {
      Path name = entry.getFileName();
      if (name.toString().equals(keep)) {
        continue;
      }
      try {
        boolean isDirectory = dir.getFileAttributeView(name, BasicFileAttributeView.class, NOFOLLOW_LINKS)
            .readAttributes().isDirectory();
        if (isDirectory) {
          try (SecureDirectoryStream<Path> sub = dir.newDirectoryStream(name, NOFOLLOW_LINKS)) {
            deleteContents(sub, null);
          }
          dir.deleteDirectory(name);
        } else {
          dir.deleteFile(name);
        }
      } catch (IOException | RuntimeException e) {
        // left for the next emptying
      }
    }
  }

  /** Where the platform has no openat (not Linux): by path. */
  private static void deleteByPath(DirectoryStream<Path> entries, String keep) throws IOException {
    for (Path entry : entries) {
      if (entry.getFileName().toString().equals(keep)) {
        continue;
      }
      if (Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)) {
        try (Stream<Path> tree = Files.walk(entry)) {
          tree.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
      } else {
        Files.deleteIfExists(entry);
      }
    }
  }
}
