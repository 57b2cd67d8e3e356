package io.dnssecproxy.conformance;

import java.util.List;
import java.util.stream.Stream;

/**
 * A parsed testbound replay file.
 *
 * @param fileName the file name (e.g. {@code val_adbit.rpl}); scenarios are known by it
 * @param title the text after SCENARIO_BEGIN
 */
public record RplScenario(
    String fileName, String title, RplConfig config, List<RplRange> ranges, List<RplStep> steps) {

  public RplScenario {
    ranges = List.copyOf(ranges);
    steps = List.copyOf(steps);
  }

  /** All entries of all ranges, in file order. */
  public Stream<RplEntry> rangeEntries() {
    return ranges.stream().flatMap(r -> r.entries().stream());
  }

  public Stream<RplStep> stepsOfKind(String kind) {
    return steps.stream().filter(s -> s.kind().equals(kind));
  }
}
