package dev.taskhub.agent;

import dev.taskhub.config.NodeSettings;
import dev.taskhub.web.ApiTokens;

import java.io.IOException;

/**
 * {@code executor.token}, the API token every executor of this node gets as {@code TASKHUB_TOKEN}: it must be one of
 * this node's own tokens ({@code api.tokens}, {@code api.tokensFile}), so that its role can be known, and that role
 * must be {@code read} or {@code submit}. An admin token would let any executor — any code a task type runs — change
 * and delete every task: the node refuses to start with one. The token itself is never written in a message.
 */
public final class ExecutorToken {
  private ExecutorToken() {
  }

  /** Refuses a token that is not the node's, or whose role is admin. Blocking (reads api.tokensFile). */
  public static void check(NodeSettings settings) throws IOException {
    String token = settings.executorAccess().token();
    if (token == null) {
      return;
    }
    ApiTokens.Role role = ApiTokens.of(settings.api()).roleOf(token);
    if (role == null) {
      throw new IllegalArgumentException("executor.token is none of this node's API tokens: list it in api.tokens or "
          + "api.tokensFile with role read or submit (on an agent-only node too: that is how its role is known)");
    }
    if (role == ApiTokens.Role.admin) {
      throw new IllegalArgumentException("executor.token has the role admin: every executor would get it, and with it "
          + "the power to change and delete every task; give executors a token of role read or submit");
    }
  }
}
