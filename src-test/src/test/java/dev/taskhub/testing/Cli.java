package dev.taskhub.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The {@code taskhub} command run as a user runs it: {@code java -jar taskhub.jar <args>} in its own process, its
 * output captured. Starts in the background too, for a command that waits while the test acts.
 */
public final class Cli {
  private final Map<String, String> env = new LinkedHashMap<>();

  /** A CLI talking to this node (TASKHUB_SERVER set as a user would). */
  public static Cli of(TaskhubNode node) {
    return new Cli().env("TASKHUB_SERVER", node.api().base());
  }

  public Cli env(String name, String value) {
    env.put(name, value);
    return this;
  }

  public record Result(int exitCode, String out, String err) {
    @Override
    public String toString() {
      return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
  }

  /** A command under way. */
  public final class Running {
    private final Process process;
    private final CompletableFuture<String> out;
    private final CompletableFuture<String> err;

    private Running(Process process) {
      this.process = process;
      this.out = read(process.getInputStream());
      this.err = read(process.getErrorStream());
    }

    public Result await() throws Exception {
      if (!process.waitFor(120, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError("taskhub did not end within 120 s; output so far:\n" + out.getNow(""));
      }
      return new Result(process.exitValue(), out.get(10, TimeUnit.SECONDS), err.get(10, TimeUnit.SECONDS));
    }
  }

  public Result run(String... args) throws Exception {
    return start(args).await();
  }

  public Running start(String... args) throws IOException {
    return new Running(builder(List.of(args)).start());
  }

  /** Runs the command inside a pseudo-terminal (util-linux {@code script}), where it sees a console. */
  public Result runInTerminal(String... args) throws Exception {
    StringBuilder command = new StringBuilder();
    for (String arg : javaCommand(List.of(args))) {
      command.append('\'').append(arg.replace("'", "'\\''")).append("' ");
    }
    ProcessBuilder builder = new ProcessBuilder("script", "-qec", command.toString(), "/dev/null");
    builder.environment().putAll(env);
    builder.environment().put("COLUMNS", "100");
    return new Running(builder.start()).await();
  }

  private ProcessBuilder builder(List<String> args) {
    ProcessBuilder builder = new ProcessBuilder(javaCommand(args));
    builder.environment().remove("TASKHUB_SERVER");
    builder.environment().remove("TASKHUB_TOKEN");
    builder.environment().putAll(env);
    return builder;
  }

  private static List<String> javaCommand(List<String> args) {
    List<String> command = new ArrayList<>(List.of(TaskhubNode.javaBin(),
        "-Xmx128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-jar", TaskhubNode.JAR.toString()));
    command.addAll(args);
    return command;
  }

  /** Reads a stream to its end on a thread of its own (not a shared pool: two blocked readers must not queue). */
  private static CompletableFuture<String> read(InputStream in) {
    CompletableFuture<String> text = new CompletableFuture<>();
    Thread reader = new Thread(() -> {
      try (in) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        in.transferTo(bytes);
        text.complete(bytes.toString(StandardCharsets.UTF_8));
      } catch (IOException e) {
        text.complete("");
      }
    }, "cli-output");
    reader.setDaemon(true);
    reader.start();
    return text;
  }
}
