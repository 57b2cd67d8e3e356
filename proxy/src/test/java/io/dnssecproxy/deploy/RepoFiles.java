package io.dnssecproxy.deploy;

import java.nio.file.Files;
import java.nio.file.Path;

/** Paths of the repository's deployment files, from the module directory Maven runs tests in. */
public final class RepoFiles {

  private RepoFiles() {}

  static Path root() {
    Path module = Path.of(System.getProperty("basedir", System.getProperty("user.dir"))).toAbsolutePath();
    for (Path p = module; p != null; p = p.getParent()) {
      if (Files.isRegularFile(p.resolve("helm/dnssec-proxy/Chart.yaml"))) {
        return p;
      }
    }
    throw new IllegalStateException("no helm/dnssec-proxy/Chart.yaml above " + module);
  }

  public static Path chart() {
    return root().resolve("helm/dnssec-proxy");
  }

  static Path manifests() {
    return root().resolve("k8s");
  }
}
