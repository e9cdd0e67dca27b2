package dev.taskhub.launcher;

import io.zonky.test.db.postgres.embedded.DefaultPostgresBinaryResolver;
import io.zonky.test.db.postgres.embedded.PgBinaryResolver;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * zonky's bundled PostgreSQL binaries, handed to zonky unchanged, remembering where zonky unpacks them: it names the
 * folder {@code PG-<MD5 of the archive>} under its working directory and does not say so. Taskhub needs the
 * {@code postgres} binary itself once, to set the superuser's password in single-user mode before the server
 * listens. One instance per start: zonky caches the unpacked folder per resolver instance, whatever the directory.
 */
final class PgBinaries implements PgBinaryResolver {
  private final Path unpackedInto;
  private volatile String digest;

  PgBinaries(Path unpackedInto) {
    this.unpackedInto = unpackedInto;
  }

  @Override
  public InputStream getPgBinary(String system, String machineHardware) throws IOException {
    byte[] archive;
    try (InputStream in = DefaultPostgresBinaryResolver.INSTANCE.getPgBinary(system, machineHardware)) {
      if (in == null) {
        return null;
      }
      archive = in.readAllBytes();
    }
    try {
      digest = HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(archive)); // zonky's folder name, not a check
    } catch (NoSuchAlgorithmException e) {
      throw new IOException("no MD5 in this JVM", e);
    }
    return new ByteArrayInputStream(archive);
  }

  /** The unpacked {@code bin/postgres}; only after zonky has asked for the binaries. */
  Path postgres() throws IOException {
    if (digest == null) {
      throw new IOException("the PostgreSQL binaries were not unpacked yet");
    }
    Path binary = unpackedInto.resolve("PG-" + digest).resolve("bin").resolve("postgres");
    if (!Files.isExecutable(binary)) {
      throw new IOException("no PostgreSQL binary at " + binary);
    }
    return binary;
  }
}
