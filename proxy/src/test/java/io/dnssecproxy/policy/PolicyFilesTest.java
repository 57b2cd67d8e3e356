package io.dnssecproxy.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PolicyFilesTest {

  @TempDir Path dir;

  @Test
  void missingFilesReadAsAbsent() throws IOException {
    assertEquals(PolicyFiles.NONE, PolicyFiles.read(dir));
  }

  @Test
  void eachFileIsReadUnderItsConfigMapKey() throws IOException {
    Files.writeString(dir.resolve("mode"), "permissive\n");
    Files.writeString(dir.resolve("insecure-domains"), "corp.example\n");
    Files.writeString(dir.resolve("unrelated"), "ignored");
    assertEquals(new PolicyFiles(Optional.of("permissive\n"), Optional.of("corp.example\n")), PolicyFiles.read(dir));
  }

  @Test
  void filesAreReadThroughTheDataSymlinkKubernetesSwaps() throws IOException {
    // The kubelet layout: key -> ..data/key, ..data -> ..<timestamp>; an update repoints ..data.
    Path v1 = Files.createDirectory(dir.resolve("..2026_06_01_00_00_00.1"));
    Path v2 = Files.createDirectory(dir.resolve("..2026_06_01_00_05_00.2"));
    Files.writeString(v1.resolve("mode"), "enforce");
    Files.writeString(v2.resolve("mode"), "permissive");
    Files.createSymbolicLink(dir.resolve("..data"), v1.getFileName());
    Files.createSymbolicLink(dir.resolve("mode"), Path.of("..data", "mode"));
    assertEquals(Optional.of("enforce"), PolicyFiles.read(dir).mode());
    Path tmp = Files.createSymbolicLink(dir.resolve("..data_tmp"), v2.getFileName());
    Files.move(tmp, dir.resolve("..data"), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    assertEquals(Optional.of("permissive"), PolicyFiles.read(dir).mode());
  }

  @Test
  void aMissingDirectoryIsAnError() {
    assertThrows(IOException.class, () -> PolicyFiles.read(dir.resolve("nope")));
  }
}
