/**
 * A conformance harness that replays Unbound's validator regression scenarios (testbound
 * {@code val_*.rpl} files, read from {@code <repo-root>/../shared/rpl/unbound-val} or
 * {@code -Drpl.dir}) against a DNSSEC-validating forwarder.
 *
 * <p>Per scenario: {@link io.dnssecproxy.conformance.RplParser} reads the file;
 * {@link io.dnssecproxy.conformance.ReplayUpstream} plays the one recursive resolver the
 * forwarder talks to, answering from the scenario's authoritative-server entries;
 * the forwarder under test ({@link io.dnssecproxy.conformance.ValidatingForwarderUnderTest},
 * configured by {@link io.dnssecproxy.conformance.ForwarderOptions}) is started against it;
 * {@link io.dnssecproxy.conformance.RplScenarioRunner} sends the scenario's queries and
 * compares rcode, AD and the answer section with its checks
 * ({@link io.dnssecproxy.conformance.AnswerComparison}).
 * {@link io.dnssecproxy.conformance.UnboundValidatorConformanceTest} runs them all, with a
 * skip list and a known-failures list under {@code src/test/resources/conformance/}.
 *
 * <p>To test another forwarder, implement the interface in a small adapter and register it in
 * {@link io.dnssecproxy.conformance.ForwarderCatalog}; pick it with
 * {@code -Dconformance.forwarder=<name>}. {@code -Dconformance.trace=true} prints what the
 * replay upstream answered for every scenario.
 */
package io.dnssecproxy.conformance;
