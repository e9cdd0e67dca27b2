package dev.taskhub.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.taskhub.protocol.ExecutorLine.Error;
import dev.taskhub.protocol.ExecutorLine.FinishSubtask;
import dev.taskhub.protocol.ExecutorLine.Log;
import dev.taskhub.protocol.ExecutorLine.Progress;
import dev.taskhub.protocol.ExecutorLine.ResultData;
import dev.taskhub.protocol.ExecutorLine.StartSubtask;
import org.junit.jupiter.api.Test;

class LineParserTest {

  @Test
  void aPercentLineIsProgress() {
    assertThat(LineParser.parse("Progress: 65%")).isEqualTo(Progress.ofPercent(65));
  }

  @Test
  void aPercentMayHaveDecimalsAndASpaceBeforeTheSign() {
    assertThat(LineParser.parse("Progress: 65.5 %")).isEqualTo(Progress.ofPercent(65.5));
    assertThat(LineParser.parse("Progress: .5%")).isEqualTo(Progress.ofPercent(0.5));
  }

  @Test
  void noSpaceAfterTheColonIsStillProgress() {
    assertThat(LineParser.parse("Progress:65%")).isEqualTo(Progress.ofPercent(65));
  }

  @Test
  void percentsOutsideZeroToHundredAreClamped() {
    assertThat(LineParser.parse("Progress: 150%")).isEqualTo(Progress.ofPercent(100));
    assertThat(LineParser.parse("Progress: -3%")).isEqualTo(Progress.ofPercent(0));
    assertThat(((Progress) LineParser.parse("Progress: 99999999999999999999999%")).percent()).isEqualTo(100.0);
  }

  @Test
  void aPercentThatIsNotANumberIsAMessage() {
    assertThat(LineParser.parse("Progress: abc%")).isEqualTo(Progress.ofMessage("abc%"));
    assertThat(LineParser.parse("Progress: %")).isEqualTo(Progress.ofMessage("%"));
    assertThat(LineParser.parse("Progress: 1e2%")).isEqualTo(Progress.ofMessage("1e2%"));
    assertThat(LineParser.parse("Progress: 1.2.3%")).isEqualTo(Progress.ofMessage("1.2.3%"));
    assertThat(LineParser.parse("Progress: -%")).isEqualTo(Progress.ofMessage("-%"));
  }

  @Test
  void aNumberWithoutPercentSignIsAMessage() {
    assertThat(LineParser.parse("Progress: 65")).isEqualTo(Progress.ofMessage("65"));
  }

  @Test
  void otherProgressTextIsATrimmedMessage() {
    assertThat(LineParser.parse("Progress:   step 3 of 10  ")).isEqualTo(Progress.ofMessage("step 3 of 10"));
  }

  @Test
  void aProgressObjectIsStructuredProgress() {
    String json = "{\"op\":3,\"opm\":10,\"p\":1,\"pm\":4,\"subtaskId\":\"a\",\"d\":\"x\"}";
    assertThat(LineParser.parse("Progress: " + json + " ")).isEqualTo(Progress.ofStructuredJson(json));
  }

  @Test
  void anEmptyProgressIsALogLine() {
    assertThat(LineParser.parse("Progress:")).isEqualTo(new Log("Progress:"));
    assertThat(LineParser.parse("Progress:   ")).isEqualTo(new Log("Progress:   "));
  }

  @Test
  void prefixesAreCaseSensitive() {
    assertThat(LineParser.parse("progress: 50%")).isEqualTo(new Log("progress: 50%"));
    assertThat(LineParser.parse("Error: boom")).isEqualTo(new Log("Error: boom"));
    assertThat(LineParser.parse("resultdata: x")).isEqualTo(new Log("resultdata: x"));
  }

  @Test
  void aPrefixMustStartTheLine() {
    assertThat(LineParser.parse(" Progress: 50%")).isEqualTo(new Log(" Progress: 50%"));
  }

  @Test
  void subtaskLinesCarryTheirRawJson() {
    assertThat(LineParser.parse("StartSubtask: {\"id\":\"a\",\"t\":\"T\"}"))
        .isEqualTo(new StartSubtask("{\"id\":\"a\",\"t\":\"T\"}"));
    assertThat(LineParser.parse("FinishSubtask:{\"id\":\"a\"}")).isEqualTo(new FinishSubtask("{\"id\":\"a\"}"));
  }

  @Test
  void resultDataIsTrimmedAndMayBeEmpty() {
    assertThat(LineParser.parse("ResultData:  {\"n\": 1} ")).isEqualTo(new ResultData("{\"n\": 1}"));
    assertThat(LineParser.parse("ResultData:")).isEqualTo(new ResultData(""));
  }

  @Test
  void anErrorIsTextOrAnObject() {
    ExecutorLine plain = LineParser.parse("ERROR: disk full");
    ExecutorLine object = LineParser.parse("ERROR: {\"type\":\"X\",\"message\":\"m\"}");
    assertThat(plain).isEqualTo(new Error("disk full"));
    assertThat(((Error) plain).looksLikeJsonObject()).isFalse();
    assertThat(object).isEqualTo(new Error("{\"type\":\"X\",\"message\":\"m\"}"));
    assertThat(((Error) object).looksLikeJsonObject()).isTrue();
    assertThat(new Error("  {} ").looksLikeJsonObject()).isTrue();
  }

  @Test
  void anyOtherLineIsLoggedAsIs() {
    assertThat(LineParser.parse("  hello world  ")).isEqualTo(new Log("  hello world  "));
    assertThat(LineParser.parse("")).isEqualTo(new Log(""));
  }

  @Test
  void aProgressHoldsExactlyOneKindOfValue() {
    assertThatThrownBy(() -> new Progress(1.0, "m", null)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Progress(null, null, null)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Progress.ofPercent(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
  }
}
