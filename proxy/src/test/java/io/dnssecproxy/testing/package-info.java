/**
 * Hermetic DNSSEC test fixture: signed zones in memory and a fake recursive resolver on
 * 127.0.0.1 that serves them, for end-to-end tests of the proxy.
 *
 * <p>Typical use:
 *
 * <pre>{@code
 * Vertx vertx = Vertx.vertx();
 * FakeRecursiveUpstream upstream = FakeRecursiveUpstream.forHierarchy(vertx);
 * upstream.startAndWait();                     // UDP and TCP on upstream.port()
 * Path anchor = TestHierarchy.get().trustAnchorFile();
 * Clock clock = TestHierarchy.CLOCK;           // signatures are valid around TestHierarchy.NOW
 * // point the proxy at upstream.address(), validate www.secure.test. / www.badsig.test. ...
 * upstream.delay(Question.of(TestHierarchy.SECURE_WWW, Type.A), Duration.ofMillis(200));
 * upstream.count(TestHierarchy.SECURE_WWW, Type.A);
 * upstream.close();
 * }</pre>
 *
 * <p>Pieces: {@link io.dnssecproxy.testing.TestZone} (builder, signing, authoritative
 * {@code lookup}), {@link io.dnssecproxy.testing.ZoneMutations} (bogus variants),
 * {@link io.dnssecproxy.testing.RecursiveAnswerer} (resolution through zones, no sockets),
 * {@link io.dnssecproxy.testing.FakeRecursiveUpstream} (sockets and misbehaviour knobs),
 * {@link io.dnssecproxy.testing.TestHierarchy} (the shared world and its names).
 */
package io.dnssecproxy.testing;
