package dev.taskhub.protocol;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class BoundedLineReaderTest {

  @Test
  void linesEndAtNewlineOrCrlf() throws IOException {
    assertThat(readAll("one\ntwo\r\nthree\n", 100)).containsExactly("one", "two", "three");
  }

  @Test
  void aFinalLineWithoutNewlineIsReturned() throws IOException {
    assertThat(readAll("one\nlast", 100)).containsExactly("one", "last");
  }

  @Test
  void emptyLinesAreKeptAndTheEndIsNull() throws IOException {
    assertThat(readAll("\n\r\n\n", 100)).containsExactly("", "", "");
    assertThat(readAll("", 100)).isEmpty();
  }

  @Test
  void aLoneCarriageReturnBelongsToTheLine() throws IOException {
    assertThat(readAll("a\rb\nc\r", 100)).containsExactly("a\rb", "c\r");
  }

  @Test
  void aCrlfSplitAcrossBuffersIsOneTerminator() throws IOException {
    // A buffer of 4 chars puts the '\r' of "abc\r\n" at the end of one fill and the '\n' at the start of the next.
    BoundedLineReader reader = new BoundedLineReader(stream("abc\r\ndef\r\n"), 100, 4);
    assertThat(reader.readLine()).isEqualTo("abc");
    assertThat(reader.readLine()).isEqualTo("def");
    assertThat(reader.readLine()).isNull();
  }

  @Test
  void aLineOfExactlyTheLimitIsNotCut() throws IOException {
    BoundedLineReader reader = new BoundedLineReader(stream("abcde\r\nabcdef\n"), 5, 3);
    assertThat(reader.readLine()).isEqualTo("abcde");
    assertThat(reader.lastLineWasCut()).isFalse();
    assertThat(reader.readLine()).isEqualTo("abcde");
    assertThat(reader.lastLineWasCut()).isTrue();
    assertThat(reader.readLine()).isNull();
    assertThat(reader.lastLineWasCut()).isFalse();
  }

  @Test
  @Timeout(20)
  void aTenMegabyteLineIsCutAndTheNextLineIsReadIntact() throws IOException {
    int size = 10 * 1024 * 1024;
    InputStream in = new SequenceOfBytes(size, "\nProgress: 50%\n".getBytes(UTF_8));
    try (BoundedLineReader reader = new BoundedLineReader(in, 1000)) {
      String first = reader.readLine();
      assertThat(first).hasSize(1000).matches("x+");
      assertThat(reader.lastLineWasCut()).isTrue();
      assertThat(reader.readLine()).isEqualTo("Progress: 50%");
      assertThat(reader.lastLineWasCut()).isFalse();
      assertThat(reader.readLine()).isNull();
    }
  }

  @Test
  void multiByteCharactersSplitAcrossReadsAreDecoded() throws IOException {
    String text = "héllo wörld ✓ 日本語 😀🎉\nzweite Zeile ß\n";
    // Hand out one byte per read, so every multi-byte character arrives in pieces.
    InputStream trickle = new ByteArrayInputStream(text.getBytes(UTF_8)) {
      @Override
      public synchronized int read(byte[] b, int off, int len) {
        return super.read(b, off, Math.min(len, 1));
      }
    };
    List<String> lines = new ArrayList<>();
    try (BoundedLineReader reader = new BoundedLineReader(trickle, 100, 3)) {
      for (String line; (line = reader.readLine()) != null; ) {
        lines.add(line);
      }
    }
    assertThat(lines).containsExactly("héllo wörld ✓ 日本語 😀🎉", "zweite Zeile ß");
  }

  @Test
  void surrogatePairsAcrossTheCharBufferBoundaryAreKept() throws IOException {
    String line = "😀".repeat(10_000);
    assertThat(readAll(line + "\nnext", 100_000)).containsExactly(line, "next");
  }

  @Test
  void aCutNeverLeavesHalfASurrogatePair() throws IOException {
    BoundedLineReader reader = new BoundedLineReader(stream("a😀b\n"), 2);
    assertThat(reader.readLine()).isEqualTo("a");
    assertThat(reader.lastLineWasCut()).isTrue();
  }

  @Test
  void malformedUtf8BecomesReplacementCharacters() throws IOException {
    byte[] bytes = {'a', (byte) 0xC3, '\n', 'b'};
    BoundedLineReader reader = new BoundedLineReader(new ByteArrayInputStream(bytes), 100);
    assertThat(reader.readLine()).isEqualTo("a\uFFFD");
    assertThat(reader.readLine()).isEqualTo("b");
  }

  private static List<String> readAll(String text, int maxLineChars) throws IOException {
    List<String> lines = new ArrayList<>();
    try (BoundedLineReader reader = new BoundedLineReader(stream(text), maxLineChars)) {
      for (String line; (line = reader.readLine()) != null; ) {
        lines.add(line);
      }
    }
    return lines;
  }

  private static InputStream stream(String text) {
    return new ByteArrayInputStream(text.getBytes(UTF_8));
  }

  /** {@code count} bytes of 'x' made up on the fly, then a tail: a huge line without holding it in memory. */
  private static final class SequenceOfBytes extends InputStream {
    private final byte[] tail;
    private long remaining;
    private int tailPosition;

    SequenceOfBytes(long count, byte[] tail) {
      this.remaining = count;
      this.tail = tail;
    }

    @Override
    public int read() {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0];
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (len == 0) {
        return 0;
      }
      if (remaining > 0) {
        int n = (int) Math.min(len, remaining);
        java.util.Arrays.fill(b, off, off + n, (byte) 'x');
        remaining -= n;
        return n;
      }
      if (tailPosition == tail.length) {
        return -1;
      }
      int n = Math.min(len, tail.length - tailPosition);
      System.arraycopy(tail, tailPosition, b, off, n);
      tailPosition += n;
      return n;
    }
  }
}
