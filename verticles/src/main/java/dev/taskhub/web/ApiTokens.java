package dev.taskhub.web;

import dev.taskhub.config.NodeSettings;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;

/**
 * The API tokens a node accepts, each with a role, from {@code api.tokens} ("token:role,token:role") and the lines
 * of {@code api.tokensFile}. Only SHA-256 digests are kept, and a lookup compares the presented token with every
 * entry in constant time ({@link MessageDigest#isEqual}), so neither timing nor a heap dump reveals a token.
 */
public final class ApiTokens {

  /** What a token may do. Roles nest: {@code read} < {@code submit} (may also register) < {@code admin} (everything). */
  public enum Role {
    read, submit, admin;

    public boolean includes(Role needed) {
      return ordinal() >= needed.ordinal();
    }

    public static Role parse(String name, String where) {
      for (Role r : values()) {
        if (r.name().equals(name)) {
          return r;
        }
      }
      throw new IllegalArgumentException(where + " has the role '" + name + "': use admin, submit or read");
    }
  }

  private record Entry(byte[] digest, Role role) {
  }

  private final List<Entry> entries;

  private ApiTokens(List<Entry> entries) {
    this.entries = List.copyOf(entries);
  }

  /**
   * Parses the inline list and the file's lines (blank lines and {@code #} comments skipped). A malformed entry is
   * refused naming its place, never its token.
   */
  public static ApiTokens parse(String inline, List<String> fileLines, String fileName) {
    List<Entry> entries = new ArrayList<>();
    if (inline != null) {
      String[] items = inline.split(",");
      for (int i = 0; i < items.length; i++) {
        if (!items[i].isBlank()) {
          entries.add(entry(items[i].trim(), "api.tokens entry " + (i + 1)));
        }
      }
    }
    for (int i = 0; i < fileLines.size(); i++) {
      String line = fileLines.get(i).trim();
      if (!line.isEmpty() && !line.startsWith("#")) {
        entries.add(entry(line, fileName + " line " + (i + 1)));
      }
    }
    return new ApiTokens(entries);
  }

  /** The node's tokens: {@code api.tokens} and the lines of {@code api.tokensFile}. Blocking (reads the file). */
  public static ApiTokens of(NodeSettings.Api api) throws IOException {
    String file = api.tokensFile();
    return parse(api.tokens(), file == null ? List.of() : Files.readAllLines(Path.of(file)), "api.tokensFile " + file);
  }

  private static Entry entry(String text, String where) {
    int colon = text.lastIndexOf(':');
    if (colon <= 0 || colon == text.length() - 1) {
      throw new IllegalArgumentException(where + " is not token:role");
    }
    String token = text.substring(0, colon).trim();
    if (token.isEmpty() || token.chars().anyMatch(Character::isWhitespace)) {
      throw new IllegalArgumentException(where + " has an empty token or one with spaces");
    }
    return new Entry(digest(token), Role.parse(text.substring(colon + 1).trim(), where));
  }

  public boolean isEmpty() {
    return entries.isEmpty();
  }

  public int size() {
    return entries.size();
  }

  /** The role of a presented token, or null when it is none of ours. Looks at every entry, whatever matches. */
  public Role roleOf(String token) {
    if (token == null || token.isEmpty()) {
      return null;
    }
    byte[] presented = digest(token);
    Role found = null;
    for (Entry e : entries) {
      if (MessageDigest.isEqual(e.digest(), presented) && found == null) {
        found = e.role();
      }
    }
    return found;
  }

  private static byte[] digest(String token) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this JVM has no SHA-256", e);
    }
  }
}
