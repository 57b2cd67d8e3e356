package io.dnssecproxy.policy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The raw text of the policy directory's files at one moment; empty where a file is absent. The
 * directory is what Kubernetes mounts from a ConfigMap, one file per key, so the file names are
 * the ConfigMap keys. Comparing two snapshots tells the watcher what an edit changed.
 */
public record PolicyFiles(Optional<String> mode, Optional<String> insecureDomains) {

  public static final String MODE = "mode";
  public static final String INSECURE_DOMAINS = "insecure-domains";
  /** A ConfigMap value is at most 1 MiB; anything bigger here is not a policy file. */
  static final long MAX_BYTES = 1 << 20;

  public static final PolicyFiles NONE = new PolicyFiles(Optional.empty(), Optional.empty());

  /**
   * Reads both files, following symlinks (Kubernetes swaps a {@code ..data} link on update).
   *
   * @throws IOException when the directory is missing or a file cannot be read; a missing file is not an error
   */
  public static PolicyFiles read(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      throw new NotDirectoryException(dir + ": no such directory");
    }
    return new PolicyFiles(readIfPresent(dir.resolve(MODE)), readIfPresent(dir.resolve(INSECURE_DOMAINS)));
  }

  private static Optional<String> readIfPresent(Path file) throws IOException {
    try {
      if (Files.size(file) > MAX_BYTES) {
        throw new IOException(file + ": larger than " + MAX_BYTES + " bytes");
      }
      return Optional.of(Files.readString(file, StandardCharsets.UTF_8));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
  }
}
