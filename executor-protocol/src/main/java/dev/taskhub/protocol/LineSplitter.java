package dev.taskhub.protocol;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Splits an executor's output into lines as its bytes arrive, in chunks of any size, and cuts any line longer than
 * {@code maxLineChars}, so an agent's memory stays bounded whatever a runaway executor writes. A line ends at
 * {@code \n}, {@code \r\n} or a lone {@code \r}: a progress bar redrawn with {@code \r} is a line per redraw. Bytes are
 * UTF-8 (malformed ones become U+FFFD), a character split across two chunks is decoded whole, and a cut never leaves
 * half a surrogate pair. Not thread-safe: one splitter per stream.
 */
public final class LineSplitter {

  /** Receives each complete line, without its terminator, and whether it was cut. */
  @FunctionalInterface
  public interface Lines {
    void line(String line, boolean cut);
  }

  private final int maxLineChars;
  private final Lines lines;
  private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
      .onMalformedInput(CodingErrorAction.REPLACE).onUnmappableCharacter(CodingErrorAction.REPLACE);
  private final CharBuffer chars = CharBuffer.allocate(4096);
  private final StringBuilder line;
  private byte[] leftover = new byte[0]; // the first bytes of a character the next chunk completes
  private boolean open;                  // something was written since the last terminator
  private boolean cut;
  private boolean afterCarriageReturn;   // a '\n' right after a '\r' ends nothing more

  public LineSplitter(int maxLineChars, Lines lines) {
    if (maxLineChars < 1) {
      throw new IllegalArgumentException("maxLineChars must be at least 1, was " + maxLineChars);
    }
    this.maxLineChars = maxLineChars;
    this.lines = Objects.requireNonNull(lines, "lines");
    this.line = new StringBuilder(Math.min(maxLineChars, 256));
  }

  /** Takes the next bytes of the stream; complete lines go to the receiver at once. */
  public void push(byte[] bytes, int offset, int length) {
    ByteBuffer in;
    if (leftover.length == 0) {
      in = ByteBuffer.wrap(bytes, offset, length);
    } else {
      in = ByteBuffer.allocate(leftover.length + length).put(leftover).put(bytes, offset, length).flip();
    }
    decode(in, false);
    leftover = new byte[in.remaining()];
    in.get(leftover);
  }

  /** The stream ended: a last line without a terminator is handed over too. */
  public void finish() {
    decode(ByteBuffer.wrap(leftover), true);
    leftover = new byte[0];
    chars.clear();
    decoder.flush(chars);
    scan();
    if (open) {
      emit();
    }
  }

  private void decode(ByteBuffer in, boolean endOfInput) {
    CoderResult result;
    do {
      chars.clear();
      result = decoder.decode(in, chars, endOfInput);
      scan();
    } while (result.isOverflow());
  }

  private void scan() {
    chars.flip();
    while (chars.hasRemaining()) {
      char c = chars.get();
      if (afterCarriageReturn) {
        afterCarriageReturn = false;
        if (c == '\n') {
          continue;
        }
      }
      if (c == '\n' || c == '\r') {
        afterCarriageReturn = c == '\r';
        emit();
      } else if (line.length() < maxLineChars) {
        line.append(c);
        open = true;
      } else {
        cut = true;
        open = true;
      }
    }
  }

  private void emit() {
    int length = line.length();
    if (cut && length > 0 && Character.isHighSurrogate(line.charAt(length - 1))) {
      line.setLength(length - 1); // never hand out half of a pair that the cut split
    }
    String text = line.toString();
    boolean wasCut = cut;
    line.setLength(0);
    open = false;
    cut = false;
    lines.line(text, wasCut);
  }
}
