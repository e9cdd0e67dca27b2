package dev.taskhub.launcher;

import com.sun.security.auth.module.UnixSystem;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * A directory only this user may enter (mode 0700), for files that must not be replaced by another local user:
 * created with that mode, or, when it exists, a real directory (not a link) owned by us whose mode is then set to
 * 0700. One that someone else owns is refused: they may have planted its contents.
 */
final class PrivateDirectory {
  private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");

  private PrivateDirectory() {
  }

  static Path of(Path dir) throws IOException {
    Files.createDirectories(dir.getParent());
    if (!dir.getFileSystem().supportedFileAttributeViews().contains("unix")) {
      Files.createDirectories(dir);
      return dir; // not a POSIX file system (Windows): its ACLs are the user's profile's
    }
    try {
      Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
    } catch (FileAlreadyExistsException e) {
      if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
        throw new IOException(dir + " is not a directory (a link or a file): remove it, Taskhub creates it");
      }
    }
    long owner = ((Number) Files.getAttribute(dir, "unix:uid", LinkOption.NOFOLLOW_LINKS)).longValue();
    long me = new UnixSystem().getUid();
    if (owner != me) {
      throw new IOException(dir + " belongs to the user with uid " + owner + ", not to this one (" + me
          + "): another user may have put files there; remove it, Taskhub creates it");
    }
    Files.setPosixFilePermissions(dir, OWNER_ONLY);
    return dir;
  }
}
