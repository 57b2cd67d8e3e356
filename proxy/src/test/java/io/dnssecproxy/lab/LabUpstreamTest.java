package io.dnssecproxy.lab;

import static io.dnssecproxy.lab.DenialAssertions.covers;
import static io.dnssecproxy.lab.LabWorld.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dnssecproxy.testing.Blocking;
import io.dnssecproxy.upstream.Question;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSEC3Record;
import org.xbill.DNS.NSECRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/** The fake upstream over real sockets on 127.0.0.1, queried the way the proxy will. */
class LabUpstreamTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(3);

  private static Vertx vertx;
  private static LabUpstream upstream;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    upstream = LabUpstream.forHierarchy(vertx);
    await(upstream.start());
  }

  @AfterAll
  static void stop() throws Exception {
    upstream.close();
    await(vertx.close());
  }

  @AfterEach
  void reset() {
    upstream.resetKnobs();
    upstream.clearReceived();
  }

  // ---- answers over UDP and TCP ----

  @ParameterizedTest(name = "tcp={0}")
  @ValueSource(booleans = {false, true})
  void positiveAnswer(boolean tcp) throws Exception {
    Message r = ask(SECURE_WWW, Type.A, tcp);
    assertEquals(Rcode.NOERROR, r.getRcode());
    assertEquals("192.0.2.1", address(r));
    assertEquals(1, sigs(r, Section.ANSWER).size());
    assertTrue(r.getSection(Section.AUTHORITY).isEmpty());
  }

  @ParameterizedTest(name = "tcp={0}")
  @ValueSource(booleans = {false, true})
  void nxdomainWithNsec(boolean tcp) throws Exception {
    Message r = ask(SECURE_NX, Type.A, tcp);
    assertEquals(Rcode.NXDOMAIN, r.getRcode());
    assertTrue(r.getSection(Section.ANSWER).isEmpty());
    assertEquals(Type.SOA, r.getSection(Section.AUTHORITY).get(0).getType());
    List<NSECRecord> nsecs = ofType(r, Section.AUTHORITY, NSECRecord.class);
    assertTrue(nsecs.stream().anyMatch(n -> covers(n, SECURE_NX)));
    assertTrue(nsecs.stream().anyMatch(n -> covers(n, name("*.secure.test."))));
  }

  @ParameterizedTest(name = "tcp={0}")
  @ValueSource(booleans = {false, true})
  void nxdomainWithNsec3(boolean tcp) throws Exception {
    Message r = ask(NSEC3_NX, Type.A, tcp);
    assertEquals(Rcode.NXDOMAIN, r.getRcode());
    List<NSEC3Record> proofs = ofType(r, Section.AUTHORITY, NSEC3Record.class);
    Nsec3Params params = Nsec3Params.rfc9276();
    assertTrue(proofs.stream().anyMatch(n -> DenialAssertions.matches(n, NSEC3, params)));
    assertTrue(proofs.stream().anyMatch(n -> covers(n, NSEC3_NX, params)));
    assertTrue(proofs.stream().anyMatch(n -> covers(n, name("*.nsec3.test."), params)));
  }

  @ParameterizedTest(name = "tcp={0}")
  @ValueSource(booleans = {false, true})
  void noData(boolean tcp) throws Exception {
    Message r = ask(SECURE_WWW, Type.SRV, tcp);
    assertEquals(Rcode.NOERROR, r.getRcode());
    assertTrue(r.getSection(Section.ANSWER).isEmpty());
    NSECRecord nsec = ofType(r, Section.AUTHORITY, NSECRecord.class).get(0);
    assertEquals(SECURE_WWW, nsec.getName());
    assertFalse(nsec.hasType(Type.SRV));
  }

  @ParameterizedTest(name = "tcp={0}")
  @ValueSource(booleans = {false, true})
  void wildcard(boolean tcp) throws Exception {
    Message r = ask(SECURE_WILDCARD_HOST, Type.A, tcp);
    assertEquals("192.0.2.2", address(r));
    RRSIGRecord sig = sigs(r, Section.ANSWER).get(0);
    assertEquals(SECURE_WILDCARD_HOST, sig.getName());
    assertEquals(3, sig.getLabels());
    assertTrue(ofType(r, Section.AUTHORITY, NSECRecord.class).stream()
        .anyMatch(n -> covers(n, SECURE_WILDCARD_HOST)));
  }

  @ParameterizedTest(name = "tcp={0}")
  @ValueSource(booleans = {false, true})
  void crossZoneCname(boolean tcp) throws Exception {
    Message r = ask(SECURE_ALIAS, Type.A, tcp);
    assertEquals(Rcode.NOERROR, r.getRcode());
    List<Integer> types = r.getSection(Section.ANSWER).stream().map(Record::getType)
        .collect(Collectors.toList());
    assertEquals(List.of(Type.CNAME, Type.RRSIG, Type.A, Type.RRSIG), types);
    assertEquals("192.0.2.11", address(r));
    assertEquals(List.of(SECURE, NSEC3), sigs(r, Section.ANSWER).stream()
        .map(RRSIGRecord::getSigner).collect(Collectors.toList()));
  }

  @ParameterizedTest(name = "tcp={0}")
  @ValueSource(booleans = {false, true})
  void cnameToMissingNameEndsWithItsProof(boolean tcp) throws Exception {
    Message r = ask(SECURE_ALIAS_NX, Type.A, tcp);
    assertEquals(Rcode.NXDOMAIN, r.getRcode());
    assertEquals(Type.CNAME, r.getSection(Section.ANSWER).get(0).getType());
    assertEquals(NSEC3, r.getSection(Section.AUTHORITY).get(0).getName());
    assertFalse(ofType(r, Section.AUTHORITY, NSEC3Record.class).isEmpty());
  }

  @ParameterizedTest(name = "tcp={0}")
  @ValueSource(booleans = {false, true})
  void dsComesFromTheParent(boolean tcp) throws Exception {
    Message r = ask(SECURE, Type.DS, tcp);
    assertEquals(Type.DS, r.getSection(Section.ANSWER).get(0).getType());
    assertEquals(TEST, sigs(r, Section.ANSWER).get(0).getSigner());
  }

  @ParameterizedTest(name = "tcp={0}")
  @ValueSource(booleans = {false, true})
  void insecureDelegationIsProvenByTheParent(boolean tcp) throws Exception {
    Message r = ask(INSECURE, Type.DS, tcp);
    assertEquals(Rcode.NOERROR, r.getRcode());
    assertTrue(r.getSection(Section.ANSWER).isEmpty());
    NSECRecord nsec = ofType(r, Section.AUTHORITY, NSECRecord.class).get(0);
    assertEquals(INSECURE, nsec.getName());
    assertTrue(nsec.hasType(Type.NS) && !nsec.hasType(Type.DS));
    assertEquals(TEST, sigs(r, Section.AUTHORITY).get(0).getSigner());
    // And the insecure child answers unsigned.
    Message www = ask(INSECURE_WWW, Type.A, tcp);
    assertEquals("192.0.2.51", address(www));
    assertTrue(sigs(www, Section.ANSWER).isEmpty());
  }

  @ParameterizedTest(name = "tcp={0}")
  @ValueSource(booleans = {false, true})
  void headerAndEdnsLookLikeARecursiveResolver(boolean tcp) throws Exception {
    Message r = ask(SECURE_WWW, Type.A, tcp);
    assertTrue(r.getHeader().getFlag(Flags.QR));
    assertTrue(r.getHeader().getFlag(Flags.RA));
    assertTrue(r.getHeader().getFlag(Flags.CD), "CD echoed");
    assertFalse(r.getHeader().getFlag(Flags.AD), "a fake upstream never vouches");
    assertFalse(r.getHeader().getFlag(Flags.AA));
    OPTRecord opt = r.getOPT();
    assertNotNull(opt);
    assertTrue((opt.getFlags() & ExtendedFlags.DO) != 0);
    ReceivedQuery seen = upstream.received().get(0);
    assertEquals(Question.of(SECURE_WWW, Type.A), seen.question());
    assertEquals(tcp, seen.tcp());
    assertTrue(seen.dnssecOk() && seen.checkingDisabled());
    assertEquals(1232, seen.ednsPayload());
  }

  @Test
  void everySignatureServedVerifiesWithTheSignersKeys() throws Exception {
    Object[][] questions = {
        {SECURE_WWW, Type.A}, {SECURE_NX, Type.A}, {NSEC3_NX, Type.A}, {SECURE_ENT, Type.A},
        {SECURE_WILDCARD_HOST, Type.A}, {NSEC3_WILDCARD_HOST, Type.A}, {SECURE_ALIAS, Type.A},
        {SECURE_DNAME_WWW, Type.A}, {OPTOUT_UNSIGNED, Type.DS}, {ED_WWW, Type.A},
        {HIGHITER_NX, Type.A}, {ROOT, Type.DNSKEY}, {TEST, Type.DS}, {INSECURE, Type.DS}};
    int checked = 0;
    for (Object[] q : questions) {
      Message r = ask((Name) q[0], (Integer) q[1], true);
      for (int section : new int[] {Section.ANSWER, Section.AUTHORITY}) {
        for (RRset rrset : r.getSectionRRsets(section)) {
          if (!rrset.sigs().isEmpty()) {
            LabZone signer = LabWorld.get().zone(rrset.sigs().get(0).getSigner());
            SignatureAssertions.assertVerifies(rrset, signer.dnskeys(), NOW);
            checked++;
          }
        }
      }
    }
    assertTrue(checked > 25, "checked " + checked);
  }

  // ---- size limits ----

  @Test
  void udpAnswerOverThePayloadIsTruncated() throws Exception {
    // Root DNSKEY: two RSA-2048 keys plus an RSA signature, well over 512 bytes.
    Message plain = Message.newQuery(Record.newRecord(ROOT, Type.DNSKEY, DClass.IN));
    Message truncated = udpExchange(plain, 1).get(0);
    assertTrue(truncated.getHeader().getFlag(Flags.TC));
    assertEquals(plain.getHeader().getID(), truncated.getHeader().getID());
    assertTrue(truncated.getSection(Section.ANSWER).isEmpty());
    assertEquals(ROOT, truncated.getQuestion().getName());

    Message edns = Message.newQuery(Record.newRecord(ROOT, Type.DNSKEY, DClass.IN));
    edns.addRecord(new OPTRecord(4096, 0, 0, ExtendedFlags.DO), Section.ADDITIONAL);
    Message full = udpExchange(edns, 1).get(0);
    assertFalse(full.getHeader().getFlag(Flags.TC));
    assertEquals(3, full.getSection(Section.ANSWER).size());
  }

  @Test
  void truncatedUdpIsRetriedOverTcpByAStubResolver() throws Exception {
    SimpleResolver resolver = new SimpleResolver(upstream.address());
    resolver.setTimeout(TIMEOUT);
    resolver.setEDNS(null); // 512-byte limit
    Message r = resolver.send(Message.newQuery(Record.newRecord(ROOT, Type.DNSKEY, DClass.IN)));
    assertEquals(2, r.getSection(Section.ANSWER).stream()
        .filter(rec -> rec.getType() == Type.DNSKEY).count());
    assertEquals(List.of(false, true), upstream.received().stream().map(ReceivedQuery::tcp)
        .collect(Collectors.toList()));
  }

  // ---- knobs ----

  @Test
  void dropNeverAnswersButCounts() {
    Question q = Question.of(SECURE_WWW, Type.A);
    upstream.drop(q);
    SimpleResolver resolver = resolver(false);
    resolver.setTimeout(Duration.ofMillis(300));
    assertThrows(IOException.class, () -> resolver.send(query(SECURE_WWW, Type.A)));
    assertEquals(1, upstream.count(q));
  }

  @Test
  void delayHoldsTheAnswerBackForThatQuestionOnly() throws Exception {
    upstream.delay(Question.of(SECURE_WWW, Type.A), Duration.ofMillis(500));
    SimpleResolver resolver = resolver(false);
    long start = System.nanoTime();
    CompletableFuture<Message> delayed =
        resolver.sendAsync(query(SECURE_WWW, Type.A)).toCompletableFuture();
    Message other = resolver.sendAsync(query(SECURE_MAIL, Type.A)).toCompletableFuture()
        .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    assertEquals("192.0.2.25", address(other));
    assertFalse(delayed.isDone(), "the delayed answer must still be pending");
    Message r = delayed.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    long elapsedMs = (System.nanoTime() - start) / 1_000_000;
    assertEquals("192.0.2.1", address(r));
    assertTrue(elapsedMs >= 450, "answered after " + elapsedMs + " ms");
  }

  @Test
  void servfailKnob() throws Exception {
    upstream.servfail(Question.of(SECURE_WWW, Type.A));
    assertEquals(Rcode.SERVFAIL, ask(SECURE_WWW, Type.A, false).getRcode());
    assertEquals(Rcode.NOERROR, ask(SECURE_MAIL, Type.A, false).getRcode());
    upstream.servfailAll(true);
    assertEquals(Rcode.SERVFAIL, ask(SECURE_MAIL, Type.A, true).getRcode());
  }

  @Test
  void cannedAndComputedOverrides() throws Exception {
    Message canned = new Message();
    canned.getHeader().setFlag(Flags.QR);
    canned.addRecord(Record.newRecord(SECURE_WWW, Type.A, DClass.IN), Section.QUESTION);
    canned.addRecord(new ARecord(SECURE_WWW, DClass.IN, 60, InetAddress.getByAddress(
        new byte[] {10, 9, 9, 9})), Section.ANSWER);
    upstream.respondWith(Question.of(SECURE_WWW, Type.A), canned);
    assertEquals("10.9.9.9", address(ask(SECURE_WWW, Type.A, false)));

    upstream.respondWith(Question.of(SECURE_MAIL, Type.A), q -> {
      Message m = RecursiveAnswerer.emptyResponse(q);
      m.getHeader().setRcode(Rcode.REFUSED);
      return m;
    });
    assertEquals(Rcode.REFUSED, ask(SECURE_MAIL, Type.A, true).getRcode());
  }

  @Test
  void countsEveryQuestionSeparately() throws Exception {
    ask(SECURE_WWW, Type.A, false);
    ask(SECURE_WWW, Type.A, true);
    ask(SECURE_WWW, Type.AAAA, false);
    assertEquals(2, upstream.count(SECURE_WWW, Type.A));
    assertEquals(1, upstream.count(SECURE_WWW, Type.AAAA));
    assertEquals(0, upstream.count(SECURE_MAIL, Type.A));
  }

  @Test
  void spooferRacesTheGenuineAnswer() throws Exception {
    upstream.spoof(Question.of(SECURE_WWW, Type.A),
        Spoof.WRONG_ID, Spoof.WRONG_QUESTION, Spoof.UNSIGNED, Spoof.BAD_SIGNATURE);
    Message query = query(SECURE_WWW, Type.A);
    List<Message> packets = udpExchange(query, 5);
    int id = query.getHeader().getID();

    assertNotEquals(id, packets.get(0).getHeader().getID());
    assertEquals(id, packets.get(1).getHeader().getID());
    assertNotEquals(SECURE_WWW, packets.get(1).getQuestion().getName());

    Message unsigned = packets.get(2);
    assertEquals(id, unsigned.getHeader().getID());
    assertEquals(Spoofer.SPOOFED_V4, address(unsigned));
    assertTrue(sigs(unsigned, Section.ANSWER).isEmpty());

    Message badSig = packets.get(3);
    assertEquals(Spoofer.SPOOFED_V4, address(badSig));
    RRset forged = badSig.getSectionRRsets(Section.ANSWER).get(0);
    assertNotNull(SignatureAssertions.verificationFailure(forged,
        LabWorld.get().zone(SECURE).dnskeys(), NOW));

    Message genuine = packets.get(4);
    assertEquals(id, genuine.getHeader().getID());
    assertEquals("192.0.2.1", address(genuine));
    SignatureAssertions.assertVerifies(genuine.getSectionRRsets(Section.ANSWER).get(0),
        LabWorld.get().zone(SECURE).dnskeys(), NOW);
  }

  @Test
  void closeReleasesThePorts() throws Exception {
    LabUpstream other = LabUpstream.forHierarchy(vertx).startAndWait();
    int port = other.port();
    assertTrue(port > 0 && port != upstream.port());
    other.close();
    assertTrue(canBindBoth(port), "port " + port + " still held after close()");
  }

  /**
   * Binds UDP and TCP on the port. Retried briefly: concurrently running tests may be handed the
   * just-freed port as an ephemeral client port for a moment.
   */
  private static boolean canBindBoth(int port) throws InterruptedException {
    InetAddress loopback = InetAddress.getLoopbackAddress();
    for (int attempt = 0; attempt < 20; attempt++) {
      try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress(loopback, port));
          ServerSocket tcp = new ServerSocket(port, 1, loopback)) {
        return udp.getLocalPort() == port && tcp.getLocalPort() == port;
      } catch (IOException busy) {
        Thread.sleep(50);
      }
    }
    return false;
  }

  // ---- helpers ----

  private static Message ask(Name name, int type, boolean tcp) throws IOException {
    return resolver(tcp).send(query(name, type));
  }

  /** A DO+CD query, as the proxy sends upstream. */
  private static Message query(Name name, int type) {
    Message query = Message.newQuery(Record.newRecord(name, type, DClass.IN));
    query.getHeader().setFlag(Flags.CD);
    return query;
  }

  private static SimpleResolver resolver(boolean tcp) {
    SimpleResolver resolver = new SimpleResolver(upstream.address());
    resolver.setTCP(tcp);
    resolver.setEDNS(0, 1232, ExtendedFlags.DO, List.of());
    resolver.setTimeout(TIMEOUT);
    return resolver;
  }

  /** Sends one UDP query from a plain socket and collects the first {@code count} replies. */
  private static List<Message> udpExchange(Message query, int count) throws IOException {
    try (DatagramSocket socket = new DatagramSocket(
        new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
      socket.setSoTimeout((int) TIMEOUT.toMillis());
      byte[] wire = query.toWire();
      socket.send(new DatagramPacket(wire, wire.length, upstream.address()));
      List<Message> replies = new ArrayList<>();
      byte[] buffer = new byte[65535];
      while (replies.size() < count) {
        DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
        socket.receive(packet);
        replies.add(new Message(java.util.Arrays.copyOf(packet.getData(), packet.getLength())));
      }
      return replies;
    }
  }

  private static String address(Message m) {
    return m.getSection(Section.ANSWER).stream().filter(r -> r instanceof ARecord)
        .map(r -> ((ARecord) r).getAddress().getHostAddress()).reduce((a, b) -> b)
        .orElse(null);
  }

  private static List<RRSIGRecord> sigs(Message m, int section) {
    return ofType(m, section, RRSIGRecord.class);
  }

  private static <T> List<T> ofType(Message m, int section, Class<T> type) {
    return m.getSection(section).stream().filter(type::isInstance).map(type::cast)
        .collect(Collectors.toList());
  }

  private static Name name(String text) {
    return Name.fromConstantString(text);
  }

  private static <T> T await(io.vertx.core.Future<T> future) throws Exception {
    return Blocking.await(future, Duration.ofSeconds(10));
  }

}
