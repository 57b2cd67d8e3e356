package io.dnssecproxy.deploy;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * A real Helm (helm-java: the Go library through JNA), one call at a time: test classes run
 * concurrently and the library's global state is not ours to trust with that.
 */
final class HelmRunner {

  /** The cluster version `helm template` assumes: the chart asks for >= 1.29 (native sidecars). */
  static final String KUBE_VERSION = "1.31.0";
  private static final Object LOCK = new Object();

  static {
    // Hermetic: without the linux-amd64 artifact helm-java would fetch a native jar at run time;
    // fail instead.
    System.setProperty("com.marcnuri.jkube-helm.skipRemoteJar", "true");
  }

  private HelmRunner() {}

  /** `helm template RELEASE CHART -n NAMESPACE -f VALUES`; throws with Helm's message on failure. */
  static String template(Path chart, String release, String namespace, String valuesYaml, Path scratch) {
    Path values = write(scratch.resolve("values-" + System.nanoTime() + ".yaml"), valuesYaml);
    String out;
    synchronized (LOCK) {
      out = new Helm(chart).template()
          .withName(release)
          .withNamespace(namespace)
          .withKubeVersion(KUBE_VERSION)
          .withValuesFile(values)
          .call();
    }
    return out == null ? "" : out; // nothing rendered
  }

  /** `helm lint --strict CHART`, on the chart's own values.yaml. */
  static LintResult lintStrict(Path chart) {
    synchronized (LOCK) {
      return new Helm(chart).lint().strict().call();
    }
  }

  static Path write(Path file, String text) {
    try {
      Files.createDirectories(file.getParent());
      return Files.writeString(file, text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Copies a directory tree (a chart) so a test can change it without touching the repository. */
  static Path copyTree(Path from, Path to) {
    try {
      Files.walkFileTree(from, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
          Files.createDirectories(to.resolve(from.relativize(dir).toString()));
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
          Files.copy(file, to.resolve(from.relativize(file).toString()), StandardCopyOption.REPLACE_EXISTING);
          return FileVisitResult.CONTINUE;
        }
      });
      return to;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
