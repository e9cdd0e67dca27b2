package dev.taskhub.node;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class MachineTest {

  @Test
  void freeMemoryIsWhatANewProcessCanHaveNotWhatIsUntouched() throws Exception {
    Path meminfo = Path.of("/proc/meminfo");
    assumeTrue(Files.isReadable(meminfo), "Linux only");
    String text = Files.readString(meminfo);
    long available = Machine.availableMb(text);
    long untouched = Long.parseLong(text.replaceAll("(?s).*MemFree:\\s+(\\d+) kB.*", "$1")) / 1024;

    long reported = Machine.freeMemoryMb();

    // MemAvailable moves a little between two reads; MemFree leaves out the page cache, usually by far more.
    assertThat(reported).isBetween(available - 64, available + 64);
    if (available - untouched > 256) {
      assertThat(reported).isGreaterThan(untouched + 128);
    }
  }

  @Test
  void memAvailableIsReadInMegabytes() {
    assertThat(Machine.availableMb("MemTotal: 16384000 kB\nMemFree:  102400 kB\nMemAvailable: 8192000 kB\n")).isEqualTo(8000);
    assertThat(Machine.availableMb("MemTotal: 16384000 kB\nMemFree:  102400 kB\n")).isNull();
  }
}
