package dev.taskhub.agent;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class WorkDirTest {
  @TempDir
  Path root;

  private static Object inode(Path file) throws Exception {
    return Files.getAttribute(file, "unix:ino", LinkOption.NOFOLLOW_LINKS);
  }

  @Test
  void emptyingLeavesOnlyAnEmptiedDataFileThatTheNextAttemptRewritesInPlace() throws Exception {
    WorkDir dir = WorkDir.of(root, "node/agent-1");
    Path data = dir.writeData("{\"first\":1}".getBytes(StandardCharsets.UTF_8));
    Object inode = inode(data);
    Files.writeString(dir.path().resolve("output.txt"), "left by the executor");
    Files.createDirectories(dir.path().resolve("sub/deeper"));

    dir.empty();

    try (var entries = Files.list(dir.path())) {
      assertThat(entries.map(p -> p.getFileName().toString())).containsExactly(WorkDir.DATA_FILE);
    }
    assertThat(Files.size(data)).isZero(); // no task's data is left on disk between attempts
    Path again = dir.writeData("{\"second\":2}".getBytes(StandardCharsets.UTF_8));
    assertThat(again).isEqualTo(data);
    assertThat(Files.readString(again)).isEqualTo("{\"second\":2}");
    assertThat(inode(again)).isEqualTo(inode);
  }

  @Test
  void aDataFileTheExecutorSwappedForALinkGoesAndWhatItPointsToStays() throws Exception {
    WorkDir dir = WorkDir.of(root, "agent-2");
    Path data = dir.writeData("{}".getBytes(StandardCharsets.UTF_8));
    Path precious = Files.writeString(root.resolve("precious.txt"), "the node's own file");
    Files.delete(data);
    Files.createSymbolicLink(data, precious);

    dir.empty();
    assertThat(Files.exists(data, LinkOption.NOFOLLOW_LINKS)).isFalse();
    Path fresh = dir.writeData("{\"x\":1}".getBytes(StandardCharsets.UTF_8));

    assertThat(Files.isSymbolicLink(fresh)).isFalse();
    assertThat(Files.readString(fresh)).isEqualTo("{\"x\":1}");
    assertThat(Files.readString(precious)).isEqualTo("the node's own file");
  }

  @Test
  void aDataFileWithAnotherNameIsNotRewrittenThroughThatName() throws Exception {
    WorkDir dir = WorkDir.of(root, "agent-3");
    Path data = dir.writeData("{\"secret\":1}".getBytes(StandardCharsets.UTF_8));
    Path kept = root.resolve("kept-by-the-executor");
    Files.createLink(kept, data);

    dir.empty();
    dir.writeData("{\"next task\":2}".getBytes(StandardCharsets.UTF_8));

    assertThat(Files.readString(kept)).isEqualTo("{\"secret\":1}"); // the old inode, never the next task's data
    assertThat(inode(data)).isNotEqualTo(inode(kept));
  }

  @Test
  void aDataFileLentToAnExecutorsUserGoesSoAProcessOfThatUserCannotReadTheNextTasksData() throws Exception {
    assumeTrue(Privileges.OF_THIS_JVM.known() && Privileges.OF_THIS_JVM.uid() == 0, "needs root to give a file away");
    WorkDir dir = WorkDir.of(root, "agent-4");
    Path data = dir.writeData("{\"mine\":1}".getBytes(StandardCharsets.UTF_8));
    Files.setAttribute(data, "unix:uid", 65534, LinkOption.NOFOLLOW_LINKS); // what lend() does for user=
    try (FileChannel heldOpen = FileChannel.open(data, StandardOpenOption.READ)) { // a process of that user, left over

      dir.empty();
      assertThat(Files.exists(data, LinkOption.NOFOLLOW_LINKS)).isFalse();
      dir.writeData("{\"someone else's\":2}".getBytes(StandardCharsets.UTF_8));

      ByteBuffer read = ByteBuffer.allocate(100);
      heldOpen.read(read, 0);
      assertThat(new String(read.array(), 0, read.position(), StandardCharsets.UTF_8)).isEqualTo("{\"mine\":1}");
    }
  }
}
