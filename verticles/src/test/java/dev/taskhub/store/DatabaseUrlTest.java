package dev.taskhub.store;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DatabaseUrlTest {
  @Test
  void aUrlIsNeverReportedWithItsPassword() {
    assertThat(Database.redacted("postgresql://taskhub:s3cret@db:5432/taskhub")).isEqualTo("postgresql://taskhub:***@db:5432/taskhub");
    assertThat(Database.redacted("postgresql://db/taskhub?user=t&password=s3cret")).doesNotContain("s3cret");
    assertThatThrownBy(() -> Database.connectOptions("postgresql://taskhub:s3cret@db:notaport/taskhub"))
        .hasMessageNotContaining("s3cret").hasMessageContaining("db.url");
  }
}
