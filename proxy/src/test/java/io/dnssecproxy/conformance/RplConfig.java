package io.dnssecproxy.conformance;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The part of a replay file before CONFIG_END: unbound configuration for the resolver under
 * test.
 *
 * @param trustAnchors the {@code trust-anchor:} values, as zone-file text (one record each)
 * @param validationTime {@code val-override-date} as an instant (UTC), or null when absent
 * @param serverOptions every {@code server:} option in file order (including the two above);
 *     a key may repeat
 * @param clauses the other clauses ({@code stub-zone:}, {@code forward-zone:}, ...) in file
 *     order
 */
public record RplConfig(
    List<String> trustAnchors,
    Instant validationTime,
    List<Map.Entry<String, String>> serverOptions,
    List<Clause> clauses) {

  public RplConfig {
    trustAnchors = List.copyOf(trustAnchors);
    serverOptions = List.copyOf(serverOptions);
    clauses = List.copyOf(clauses);
  }

  /** The last value of a server option, if present (unbound lets later lines win). */
  public Optional<String> serverOption(String key) {
    String found = null;
    for (Map.Entry<String, String> e : serverOptions) {
      if (e.getKey().equals(key)) {
        found = e.getValue();
      }
    }
    return Optional.ofNullable(found);
  }

  /** A yes/no server option, or the given default when absent. */
  public boolean serverFlag(String key, boolean defaultValue) {
    return serverOption(key).map(v -> v.equalsIgnoreCase("yes")).orElse(defaultValue);
  }

  public boolean hasClause(String kind) {
    return clauses.stream().anyMatch(c -> c.kind().equals(kind));
  }

  /** A clause such as {@code stub-zone:} with its options in file order. */
  public record Clause(String kind, List<Map.Entry<String, String>> options) {
    public Clause {
      options = List.copyOf(options);
    }
  }
}
