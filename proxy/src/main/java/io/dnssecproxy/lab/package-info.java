/**
 * A small signed DNS world in memory (its own root, good, insecure and deliberately broken
 * zones) and a recursive resolver on 127.0.0.1 that serves it: the upstream of the {@code lab}
 * command and the hermetic fixture of the end-to-end tests.
 *
 * <p>Typical use:
 *
 * <pre>{@code
 * Vertx vertx = Vertx.vertx();
 * LabUpstream upstream = LabUpstream.forHierarchy(vertx);
 * upstream.startAndWait();                     // UDP and TCP on upstream.port()
 * Path anchor = LabWorld.get().trustAnchorFile();
 * Clock clock = LabWorld.CLOCK;           // signatures are valid around LabWorld.NOW
 * // point the proxy at upstream.address(), validate www.secure.test. / www.badsig.test. ...
 * upstream.delay(Question.of(LabWorld.SECURE_WWW, Type.A), Duration.ofMillis(200));
 * upstream.count(LabWorld.SECURE_WWW, Type.A);
 * upstream.close();
 * }</pre>
 *
 * <p>Pieces: {@link io.dnssecproxy.lab.LabZone} (builder, signing, authoritative
 * {@code lookup}), {@link io.dnssecproxy.lab.ZoneMutations} (bogus variants),
 * {@link io.dnssecproxy.lab.RecursiveAnswerer} (resolution through zones, no sockets),
 * {@link io.dnssecproxy.lab.LabUpstream} (sockets and misbehaviour knobs),
 * {@link io.dnssecproxy.lab.LabWorld} (the shared world and its names).
 */
package io.dnssecproxy.lab;
