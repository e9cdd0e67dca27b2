package dev.taskhub.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;

/** Free TCP ports, so tests that run side by side never collide on a fixed one. */
public final class Ports {
  private Ports() {
  }

  /** A port nobody listens on right now (the kernel's choice). */
  public static int free() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free port: " + e.getMessage(), e);
    }
  }
}
