package dev.taskhub.web;

import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.taskhub.web.ApiTokens.Role.admin;
import static dev.taskhub.web.ApiTokens.Role.read;
import static dev.taskhub.web.ApiTokens.Role.submit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ApiTokensTest {

  @Test
  void tokensComeFromTheListAndTheFileAndCarryTheirRole() {
    ApiTokens tokens = ApiTokens.parse(" a1:admin, s1:submit ,", List.of("# dashboards", "", "r1:read", "with:colon:read"), "tokens.txt");

    assertThat(tokens.size()).isEqualTo(4);
    assertThat(tokens.roleOf("a1")).isEqualTo(admin);
    assertThat(tokens.roleOf("s1")).isEqualTo(submit);
    assertThat(tokens.roleOf("r1")).isEqualTo(read);
    assertThat(tokens.roleOf("with:colon")).isEqualTo(read);
    assertThat(tokens.roleOf("a2")).isNull();
    assertThat(tokens.roleOf("")).isNull();
    assertThat(tokens.roleOf(null)).isNull();
  }

  @Test
  void rolesNest() {
    assertThat(admin.includes(submit)).isTrue();
    assertThat(admin.includes(read)).isTrue();
    assertThat(submit.includes(read)).isTrue();
    assertThat(submit.includes(admin)).isFalse();
    assertThat(read.includes(submit)).isFalse();
  }

  @Test
  void noTokensIsEmpty() {
    assertThat(ApiTokens.parse("", List.of(), "none").isEmpty()).isTrue();
    assertThat(ApiTokens.parse(null, List.of(), "none").isEmpty()).isTrue();
  }

  @Test
  void aMalformedEntryIsRefusedByItsPlaceNeverByItsToken() {
    assertThatThrownBy(() -> ApiTokens.parse("ok:read,secret-one", List.of(), "f"))
        .hasMessage("api.tokens entry 2 is not token:role");
    assertThatThrownBy(() -> ApiTokens.parse("", List.of("secret-two:owner"), "tokens.txt"))
        .hasMessage("tokens.txt line 1 has the role 'owner': use admin, submit or read");
    assertThatThrownBy(() -> ApiTokens.parse("secret three:admin", List.of(), "f"))
        .hasMessage("api.tokens entry 1 has an empty token or one with spaces");
  }
}
