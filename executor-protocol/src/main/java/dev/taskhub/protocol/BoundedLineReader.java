package dev.taskhub.protocol;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Reads an executor's output line by line, cutting any line longer than {@code maxLineChars}, so an agent's memory
 * stays bounded whatever a runaway executor writes. Lines end at {@code \n} or {@code \r\n}; the decoder is UTF-8
 * (malformed bytes become U+FFFD) and never holds more than one line of at most {@code maxLineChars} characters.
 */
public final class BoundedLineReader implements Closeable {

  private static final int DEFAULT_BUFFER_CHARS = 8192;

  private final Reader reader;
  private final int maxLineChars;
  private final char[] buffer;
  private final StringBuilder line;
  private int position;
  private int end;
  private boolean endOfStream;
  private boolean lastLineWasCut;

  public BoundedLineReader(InputStream in, int maxLineChars) {
    this(in, maxLineChars, DEFAULT_BUFFER_CHARS);
  }

  BoundedLineReader(InputStream in, int maxLineChars, int bufferChars) {
    Objects.requireNonNull(in, "in");
    if (maxLineChars < 1) {
      throw new IllegalArgumentException("maxLineChars must be at least 1, was " + maxLineChars);
    }
    if (bufferChars < 1) {
      throw new IllegalArgumentException("bufferChars must be at least 1, was " + bufferChars);
    }
    this.reader = new InputStreamReader(in, StandardCharsets.UTF_8);
    this.maxLineChars = maxLineChars;
    this.buffer = new char[bufferChars];
    this.line = new StringBuilder(Math.min(maxLineChars, 256));
  }

  /** The next line without its terminator, or null at the end of the stream; blocks until a line is complete. */
  public String readLine() throws IOException {
    line.setLength(0);
    lastLineWasCut = false;
    boolean readAnything = false;
    // A '\r' is held back until the next char shows whether it ends the line ("\r\n") or belongs to it.
    boolean pendingCarriageReturn = false;
    for (;;) {
      if (position == end && !fill()) {
        if (pendingCarriageReturn) {
          append('\r');
        }
        return readAnything ? finishLine() : null;
      }
      readAnything = true;
      if (pendingCarriageReturn) {
        pendingCarriageReturn = false;
        if (buffer[position] == '\n') {
          position++;
          return finishLine();
        }
        append('\r');
      }
      int start = position;
      while (position < end && buffer[position] != '\n' && buffer[position] != '\r') {
        position++;
      }
      append(buffer, start, position - start);
      if (position < end) {
        char terminator = buffer[position++];
        if (terminator == '\n') {
          return finishLine();
        }
        pendingCarriageReturn = true;
      }
    }
  }

  /** Whether the line returned by the last {@link #readLine()} was longer than {@code maxLineChars} and was cut. */
  public boolean lastLineWasCut() {
    return lastLineWasCut;
  }

  @Override
  public void close() throws IOException {
    reader.close();
  }

  private boolean fill() throws IOException {
    if (endOfStream) {
      return false;
    }
    int read;
    do {
      read = reader.read(buffer, 0, buffer.length);
    } while (read == 0);
    if (read < 0) {
      endOfStream = true;
      position = end = 0;
      return false;
    }
    position = 0;
    end = read;
    return true;
  }

  private void append(char c) {
    if (line.length() < maxLineChars) {
      line.append(c);
    } else {
      lastLineWasCut = true;
    }
  }

  private void append(char[] chars, int offset, int length) {
    int room = maxLineChars - line.length();
    if (length > room) {
      line.append(chars, offset, room);
      lastLineWasCut = true;
    } else {
      line.append(chars, offset, length);
    }
  }

  private String finishLine() {
    int length = line.length();
    // Never hand out half of a surrogate pair that the cut split.
    if (lastLineWasCut && length > 0 && Character.isHighSurrogate(line.charAt(length - 1))) {
      line.setLength(length - 1);
    }
    return line.toString();
  }
}
