package dev.taskhub.protocol;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.taskhub.protocol.ExecutorLine.Error;
import dev.taskhub.protocol.ExecutorLine.FinishSubtask;
import dev.taskhub.protocol.ExecutorLine.Log;
import dev.taskhub.protocol.ExecutorLine.Progress;
import dev.taskhub.protocol.ExecutorLine.ResultData;
import dev.taskhub.protocol.ExecutorLine.StartSubtask;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ProtocolWriterTest {

  private ByteArrayOutputStream bytes;
  private ProtocolWriter writer;

  @BeforeEach
  void setUp() {
    bytes = new ByteArrayOutputStream();
    writer = new ProtocolWriter(new PrintStream(bytes, false, UTF_8));
  }

  @Test
  void wholePercentsArePrintedWithoutDecimals() {
    writer.progress(65.0);
    writer.progress(65.5);
    writer.progress(0);
    writer.progress(100);
    assertThat(lines()).containsExactly("Progress: 65%", "Progress: 65.5%", "Progress: 0%", "Progress: 100%");
  }

  @Test
  void percentsOutsideZeroToHundredAreClampedWhenWritten() {
    writer.progress(120);
    writer.progress(-1);
    writer.progress(0.00001);
    assertThat(lines()).containsExactly("Progress: 100%", "Progress: 0%", "Progress: 0.00001%");
  }

  @Test
  void everyKindOfLineRoundTripsThroughTheParser() {
    writer.progress(42.5);
    writer.progress("copying files");
    writer.progress(3, 10, 1, 4, "file \"a\"");
    writer.startSubtask("copy", "Copy", "to /tmp");
    writer.finishSubtask("copy");
    writer.resultData("{\"ok\":true}");
    writer.error("java.io.IOException", "disk full", "at x\nat y");
    writer.log("plain text");

    assertThat(parsed()).containsExactly(
        Progress.ofPercent(42.5),
        Progress.ofMessage("copying files"),
        Progress.ofStructuredJson("{\"op\":3,\"opm\":10,\"p\":1,\"pm\":4,\"d\":\"file \\\"a\\\"\"}"),
        new StartSubtask("{\"id\":\"copy\",\"t\":\"Copy\",\"d\":\"to /tmp\"}"),
        new FinishSubtask("{\"id\":\"copy\"}"),
        new ResultData("{\"ok\":true}"),
        new Error("{\"type\":\"java.io.IOException\",\"message\":\"disk full\",\"stackTrace\":\"at x\\nat y\"}"),
        new Log("plain text"));
  }

  @Test
  void newlinesInMessagesBecomeSpacesSoOneCallIsOneLine() {
    writer.progress("step one\nstep two\r\nstep three\rdone");
    writer.log("a\nb");
    assertThat(lines()).containsExactly("Progress: step one step two step three done", "a b");
  }

  @Test
  void resultDataWritesOneLinePerLineOfText() {
    writer.resultData("first\nsecond\r\n\nfourth\n");
    writer.resultData("");
    assertThat(parsed()).containsExactly(
        new ResultData("first"), new ResultData("second"), new ResultData(""), new ResultData("fourth"),
        new ResultData(""));
  }

  @Test
  void aThrowableBecomesAnErrorObjectWithTypeMessageAndStackTrace() {
    writer.error(new IllegalArgumentException("bad \"top\" value"));
    List<String> lines = lines();
    assertThat(lines).hasSize(1);
    Error error = (Error) LineParser.parse(lines.get(0));
    assertThat(error.looksLikeJsonObject()).isTrue();
    assertThat(error.text())
        .startsWith("{\"type\":\"java.lang.IllegalArgumentException\",\"message\":\"bad \\\"top\\\" value\","
            + "\"stackTrace\":\"java.lang.IllegalArgumentException: bad \\\"top\\\" value\\n")
        .contains("ProtocolWriterTest")
        .endsWith("\"}");
  }

  @Test
  void nullsBecomeJsonNull() {
    writer.error(new RuntimeException());
    assertThat(lines().get(0)).startsWith("ERROR: {\"type\":\"java.lang.RuntimeException\",\"message\":null,");
  }

  @Test
  void jsonStringsEscapeQuotesBackslashesAndControlCharacters() {
    assertThat(ProtocolWriter.jsonString("a\"b\\c/d")).isEqualTo("\"a\\\"b\\\\c/d\"");
    assertThat(ProtocolWriter.jsonString("\n\t\r\b\f")).isEqualTo("\"\\n\\t\\r\\b\\f\"");
    assertThat(ProtocolWriter.jsonString("\u0000\u0001\u001f\u007f")).isEqualTo("\"\\u0000\\u0001\\u001f\u007f\"");
    assertThat(ProtocolWriter.jsonString("héllo 😀")).isEqualTo("\"héllo 😀\"");
    assertThat(ProtocolWriter.jsonString(null)).isEqualTo("null");
  }

  @Test
  void writtenTextIsUtf8() {
    writer.progress("größer ✓");
    assertThat(bytes.toString(UTF_8)).isEqualTo("Progress: größer ✓\n");
  }

  private List<String> lines() {
    String text = bytes.toString(UTF_8);
    assertThat(text).endsWith("\n");
    return Arrays.asList(text.substring(0, text.length() - 1).split("\n", -1));
  }

  private List<ExecutorLine> parsed() {
    return lines().stream().map(LineParser::parse).collect(Collectors.toList());
  }
}
