package dev.taskhub.api;

import io.vertx.core.json.DecodeException;

/** Says in one line what is wrong with text that is not JSON, without the parser's internals. */
public final class MalformedJson {
  private MalformedJson() {
  }

  /** "Unexpected end-of-input: expected close marker for Object" rather than Jackson's full paragraph. */
  public static String reason(DecodeException e) {
    String text = String.valueOf(e.getMessage());
    if (text.startsWith("Failed to decode:")) {
      text = text.substring("Failed to decode:".length());
    }
    for (String cut : new String[] {"\n", " (start marker", " at [Source"}) {
      int at = text.indexOf(cut);
      if (at > 0) {
        text = text.substring(0, at);
      }
    }
    return text.trim();
  }
}
