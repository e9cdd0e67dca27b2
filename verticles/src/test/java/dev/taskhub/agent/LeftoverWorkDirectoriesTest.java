package dev.taskhub.agent;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** data.dir/work after a crash: what executors of an earlier run left is removed, and nothing else. */
class LeftoverWorkDirectoriesTest {
  @TempDir
  Path dir;

  @Test
  void onlyTheExecutorsDirectoriesOfAnEarlierRunAreRemoved() throws Exception {
    Path work = Files.createDirectories(dir.resolve("work"));
    Path leftover = Files.createDirectories(work.resolve("task-12-1-4711"));
    Files.writeString(Files.createDirectories(leftover.resolve("out")).resolve("big.bin"), "x");
    Path outside = Files.createDirectories(dir.resolve("precious"));
    Files.writeString(outside.resolve("keep.txt"), "keep");
    Files.createSymbolicLink(leftover.resolve("link"), outside);
    old(leftover);
    Path link = Files.createSymbolicLink(work.resolve("task-13-1-link"), outside);
    Path fresh = Files.createDirectories(work.resolve("task-14-2-0815"));  // made after this JVM started
    Path notOurs = old(Files.createDirectories(work.resolve("notes")));

    assertThat(LeftoverWorkDirectories.sweep(work)).isEqualTo(1);

    assertThat(leftover).doesNotExist();
    assertThat(outside.resolve("keep.txt")).hasContent("keep");   // a link inside is removed, not its target
    assertThat(link).exists();
    assertThat(fresh).exists();
    assertThat(notOurs).exists();
  }

  @Test
  void whileAnotherLiveNodeHoldsTheWorkFolderNothingIsRemoved() throws Exception {
    Path work = Files.createDirectories(dir.resolve("shared").resolve("work"));
    Path running = old(Files.createDirectories(work.resolve("task-7-1-1234")));
    try (FileChannel other = FileChannel.open(work.resolve(".taskhub-lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
         FileLock lock = other.lock()) {
      assertThat(LeftoverWorkDirectories.sweep(work)).isZero();
    }
    assertThat(running).exists();
  }

  private static Path old(Path path) throws Exception {
    Files.setLastModifiedTime(path, FileTime.from(Instant.now().minusSeconds(3600)));
    return path;
  }
}
