package io.dnssecproxy.conformance;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the replay files live. They are public data kept outside the repository (not copied
 * in), next to it: {@code <repo-root>/../shared/rpl/unbound-val}. The system property
 * {@code rpl.dir} overrides that.
 */
final class RplDirectory {

  static final String PROPERTY = "rpl.dir";

  private RplDirectory() {}

  static Path unboundValidator() {
    String override = System.getProperty(PROPERTY);
    if (override != null && !override.isBlank()) {
      return Path.of(override).toAbsolutePath().normalize();
    }
    return repoRoot().resolve("../shared/rpl/unbound-val").normalize();
  }

  /**
   * The repository root: the parent of the module directory Maven runs the tests in (its
   * {@code basedir}). When run from the root itself (some IDEs), that directory is used.
   */
  static Path repoRoot() {
    Path dir = Path.of(System.getProperty("basedir", System.getProperty("user.dir")))
        .toAbsolutePath().normalize();
    if (Files.isRegularFile(dir.resolve("proxy/pom.xml"))) {
      return dir;
    }
    Path parent = dir.getParent();
    return parent == null ? dir : parent;
  }
}
