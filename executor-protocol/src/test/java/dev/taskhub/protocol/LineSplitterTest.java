package dev.taskhub.protocol;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

class LineSplitterTest {
  private final List<String> lines = new ArrayList<>();
  private final List<Boolean> cuts = new ArrayList<>();

  private LineSplitter splitter(int maxLineChars) {
    return new LineSplitter(maxLineChars, (line, cut) -> {
      lines.add(line);
      cuts.add(cut);
    });
  }

  /** Pushes the text in chunks of {@code chunk} bytes, then ends the stream. */
  private List<String> split(String text, int maxLineChars, int chunk) {
    LineSplitter splitter = splitter(maxLineChars);
    byte[] bytes = text.getBytes(UTF_8);
    for (int at = 0; at < bytes.length; at += chunk) {
      splitter.push(bytes, at, Math.min(chunk, bytes.length - at));
    }
    splitter.finish();
    return lines;
  }

  @Test
  void linesEndAtNewlineCrlfOrALoneCarriageReturn() {
    assertThat(split("one\ntwo\r\nthree\rfour\n", 100, 100)).containsExactly("one", "two", "three", "four");
  }

  @Test
  void aProgressBarRedrawnWithCarriageReturnsIsALinePerRedraw() {
    assertThat(split("Progress: 10%\rProgress: 20%\rProgress: 30%", 100, 3))
        .containsExactly("Progress: 10%", "Progress: 20%", "Progress: 30%");
  }

  @Test
  void aCrlfSplitAcrossChunksIsOneTerminator() {
    assertThat(split("abc\r\ndef\r\n", 100, 4)).containsExactly("abc", "def");
  }

  @Test
  void aFinalLineWithoutTerminatorIsHandedOverAtTheEnd() {
    LineSplitter splitter = splitter(100);
    byte[] bytes = "one\nlast".getBytes(UTF_8);
    splitter.push(bytes, 0, bytes.length);
    assertThat(lines).containsExactly("one");
    splitter.finish();
    assertThat(lines).containsExactly("one", "last");
  }

  @Test
  void emptyLinesAreKeptAndNothingMeansNoLine() {
    assertThat(split("\n\r\n\n", 100, 1)).containsExactly("", "", "");
    lines.clear();
    assertThat(split("", 100, 1)).isEmpty();
  }

  @Test
  void aLineOfExactlyTheLimitIsNotCutAndALongerOneIs() {
    assertThat(split("abcde\r\nabcdef\n", 5, 3)).containsExactly("abcde", "abcde");
    assertThat(cuts).containsExactly(false, true);
  }

  @Test
  @Timeout(20)
  void aTenMegabyteLineIsCutAndTheNextLineArrivesIntact() {
    LineSplitter splitter = splitter(1000);
    byte[] chunk = new byte[64 * 1024];
    Arrays.fill(chunk, (byte) 'x');
    for (int i = 0; i < 160; i++) {
      splitter.push(chunk, 0, chunk.length);
    }
    byte[] tail = "\nProgress: 50%\n".getBytes(UTF_8);
    splitter.push(tail, 0, tail.length);
    splitter.finish();
    assertThat(lines).hasSize(2);
    assertThat(lines.get(0)).hasSize(1000).matches("x+");
    assertThat(lines.get(1)).isEqualTo("Progress: 50%");
    assertThat(cuts).containsExactly(true, false);
  }

  @Test
  void multiByteCharactersSplitAcrossChunksAreDecodedWhole() {
    assertThat(split("héllo wörld ✓ 日本語 😀🎉\nzweite Zeile ß\n", 100, 1))
        .containsExactly("héllo wörld ✓ 日本語 😀🎉", "zweite Zeile ß");
  }

  @Test
  void surrogatePairsAcrossTheDecoderBufferAreKept() {
    String line = "😀".repeat(10_000);
    assertThat(split(line + "\nnext", 100_000, 8191)).containsExactly(line, "next");
  }

  @Test
  void aCutNeverLeavesHalfASurrogatePair() {
    assertThat(split("a😀b\n", 2, 100)).containsExactly("a");
    assertThat(cuts).containsExactly(true);
  }

  @Test
  void malformedUtf8BecomesReplacementCharacters() {
    LineSplitter splitter = splitter(100);
    byte[] bytes = {'a', (byte) 0xC3, '\n', 'b'};
    splitter.push(bytes, 0, bytes.length);
    splitter.finish();
    assertThat(lines).containsExactly("a\uFFFD", "b");
  }

  @Test
  void aCharacterCutOffByTheEndOfTheStreamBecomesAReplacementCharacter() {
    LineSplitter splitter = splitter(100);
    byte[] bytes = {'a', (byte) 0xE2, (byte) 0x9C};
    splitter.push(bytes, 0, bytes.length);
    splitter.finish();
    assertThat(lines).containsExactly("a\uFFFD");
  }
}
