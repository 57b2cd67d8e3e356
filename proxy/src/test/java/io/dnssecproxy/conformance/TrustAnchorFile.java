package io.dnssecproxy.conformance;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a scenario's {@code trust-anchor:} values as a zone-file format trust anchor file,
 * one normalised record per line (the form forwarders commonly load).
 */
final class TrustAnchorFile {

  private TrustAnchorFile() {}

  static Path write(RplConfig config, Path file) throws IOException {
    List<String> lines = new ArrayList<>();
    lines.add("; trust anchors of the scenario under test");
    for (String anchor : config.trustAnchors()) {
      lines.add(RplRecordText.parseRecord(anchor).toString());
    }
    return Files.write(file, lines, StandardCharsets.US_ASCII);
  }
}
