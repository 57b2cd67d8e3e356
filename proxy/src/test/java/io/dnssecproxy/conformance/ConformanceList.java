package io.dnssecproxy.conformance;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A list of scenario files with a reason each (skip list, known failures), read from the test
 * classpath. Format: one {@code file.rpl  reason} per line; blank lines and lines starting
 * with '#' are ignored. A reason is mandatory, so every entry says why it is there.
 */
final class ConformanceList {

  private ConformanceList() {}

  /** The entries of {@code /conformance/<name>}, or an empty map when there is no such file. */
  static Map<String, String> load(String name) throws IOException {
    Map<String, String> entries = new LinkedHashMap<>();
    try (InputStream in = ConformanceList.class.getResourceAsStream("/conformance/" + name)) {
      if (in == null) {
        return Collections.emptyMap();
      }
      BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      String line;
      int number = 0;
      while ((line = reader.readLine()) != null) {
        number++;
        String text = line.strip();
        if (text.isEmpty() || text.startsWith("#")) {
          continue;
        }
        String[] parts = text.split("\\s+", 2);
        if (parts.length < 2 || parts[1].isBlank()) {
          throw new IOException(name + ":" + number + ": entry needs a reason: " + text);
        }
        if (entries.put(parts[0], parts[1].strip()) != null) {
          throw new IOException(name + ":" + number + ": duplicate entry " + parts[0]);
        }
      }
    }
    return Collections.unmodifiableMap(entries);
  }
}
