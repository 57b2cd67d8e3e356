package io.dnssecproxy.conformance;

import java.util.List;

/**
 * A RANGE_BEGIN..RANGE_END block: the answers of one (simulated) authoritative server, valid
 * while the scenario's step number lies within [from, to].
 *
 * @param addresses the ADDRESS lines, i.e. which server these entries came from
 */
public record RplRange(int from, int to, List<String> addresses, List<RplEntry> entries) {

  public RplRange {
    addresses = List.copyOf(addresses);
    entries = List.copyOf(entries);
  }

  public boolean covers(int step) {
    return step >= from && step <= to;
  }
}
