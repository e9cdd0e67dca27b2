package dev.taskhub.launcher;

import java.io.IOException;
import java.net.ServerSocket;

/** Ports picked by the kernel, for servers the launcher starts itself (the embedded PostgreSQL, the bench's nodes). */
public final class FreePorts {
  private FreePorts() {
  }

  /** A TCP port nobody listens on right now. */
  public static int next() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
