package io.dnssecproxy.conformance;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;

/**
 * How the harness wants a forwarder under test configured for one scenario.
 *
 * @param upstream the only recursive resolver to forward to (UDP, with TCP on the same port)
 * @param trustAnchorFile a zone-file format file with the scenario's trust anchors (DS and/or
 *     DNSKEY records)
 * @param validationTime the instant signatures are checked against (the scenario's
 *     {@code val-override-date}); the forwarder must use it instead of its clock
 * @param extraAlgorithms DNSKEY algorithm numbers to accept in addition to the
 *     implementation's defaults. The scenarios are signed mostly with DSA (3) and
 *     DSA-NSEC3-SHA1 (6), which unbound validates but RFC 8624 tells validators not to, so the
 *     harness always asks for both
 * @param mode how validation failures are treated; the harness only uses ENFORCE
 * @param minRsaKeyBits smallest RSA modulus to accept, when the scenario says
 *     ({@code val-min-rsa-size}; many scenarios use 512-bit keys and say 512)
 * @param hardenAlgoDowngrade unbound's {@code harden-algo-downgrade}: true requires every
 *     algorithm in the DS set to validate; unbound's default, used when the scenario is
 *     silent, is false
 * @param scenarioOptions every {@code server:} option of the scenario as written, for adapters
 *     that can honour more (e.g. {@code val-digest-preference},
 *     {@code val-nsec3-keysize-iterations}); later entries win
 */
public record ForwarderOptions(
    InetSocketAddress upstream,
    Path trustAnchorFile,
    Instant validationTime,
    Set<Integer> extraAlgorithms,
    Mode mode,
    OptionalInt minRsaKeyBits,
    boolean hardenAlgoDowngrade,
    List<Map.Entry<String, String>> scenarioOptions) {

  public ForwarderOptions {
    extraAlgorithms = Set.copyOf(extraAlgorithms);
    scenarioOptions = List.copyOf(scenarioOptions);
  }

  /** What to do with data that fails validation. */
  public enum Mode {
    /** Bogus answers become SERVFAIL; secure ones get AD. */
    ENFORCE
  }

  /** The last value of a scenario server option, or null. */
  public String scenarioOption(String key) {
    String found = null;
    for (Map.Entry<String, String> e : scenarioOptions) {
      if (e.getKey().equals(key)) {
        found = e.getValue();
      }
    }
    return found;
  }
}
