package io.dnssecproxy;

import io.dnssecproxy.lab.RecursiveAnswerer;
import io.dnssecproxy.lab.LabWorld;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Writes the seed inputs of the fuzz targets from real queries and the signed test hierarchy's
 * real responses, into the {@code <Class>Inputs/<method>/} directories Jazzer reads. Run it
 * again when a target's input layout changes (see README, "Fuzzing"):
 * {@code java -cp proxy/target/test-classes:proxy/target/classes:$(cat cp.txt) io.dnssecproxy.FuzzSeedCorpus proxy/src/test/resources}
 */
public final class FuzzSeedCorpus {

  private static final RecursiveAnswerer ANSWERER = new RecursiveAnswerer(LabWorld.get().zones());

  private FuzzSeedCorpus() {}

  public static void main(String[] args) throws IOException {
    Path root = Path.of(args.length > 0 ? args[0] : "proxy/src/test/resources").resolve("io/dnssecproxy");
    write(root.resolve("server/ClientQueryFuzzTestInputs/clientDatagramsAreAnsweredOrDroppedSafely"), clientQueries());
    write(root.resolve("server/TcpFramingFuzzTestInputs/byteStreamsFromClientsAreFramedSafely"), tcpStreams());
    write(root.resolve("upstream/UpstreamResponseFuzzTestInputs/forgedAndBrokenUpstreamAnswersAreMatchedSafely"), upstreamAnswers());
    write(root.resolve("validation/ValidatorFuzzTestInputs/arbitraryUpstreamAnswersNeverYieldUnprovenSecureData"), validatorInputs());
  }

  private static Map<String, byte[]> clientQueries() {
    Map<String, byte[]> seeds = new LinkedHashMap<>();
    seeds.put("a-plain", query(LabWorld.SECURE_WWW, Type.A, false, false).toWire());
    seeds.put("aaaa-edns-do", query(LabWorld.SECURE_WWW, Type.AAAA, true, false).toWire());
    seeds.put("dnskey-edns-do-cd", query(LabWorld.SECURE, Type.DNSKEY, true, true).toWire());
    seeds.put("any", query(LabWorld.NSEC3_WWW, Type.ANY, true, false).toWire());
    seeds.put("axfr", query(LabWorld.SECURE, Type.AXFR, false, false).toWire());
    Message notify = query(LabWorld.SECURE, Type.SOA, false, false);
    notify.getHeader().setOpcode(Opcode.NOTIFY);
    seeds.put("notify", notify.toWire());
    Message two = query(LabWorld.SECURE_WWW, Type.A, false, false);
    two.addRecord(Record.newRecord(LabWorld.ED_WWW, Type.A, DClass.IN), Section.QUESTION);
    seeds.put("two-questions", two.toWire());
    Message twoOpt = query(LabWorld.SECURE_WWW, Type.A, true, false);
    twoOpt.addRecord(new OPTRecord(512, 0, 0), Section.ADDITIONAL);
    seeds.put("two-opt", twoOpt.toWire());
    Message v1 = query(LabWorld.SECURE_WWW, Type.A, false, false);
    v1.addRecord(new OPTRecord(4096, 0, 1, 0), Section.ADDITIONAL);
    seeds.put("edns-version-1", v1.toWire());
    seeds.put("response-packet", ANSWERER.respond(query(LabWorld.SECURE_WWW, Type.A, true, true)).toWire());
    seeds.put("short", new byte[] {0x12, 0x34, 0x01, 0x00, 0x00});
    byte[] loop = query(LabWorld.SECURE_WWW, Type.A, false, false).toWire();
    loop[12] = (byte) 0xC0; // a compression pointer to itself in the question name
    loop[13] = 12;
    seeds.put("pointer-loop", loop);
    return seeds;
  }

  private static Map<String, byte[]> tcpStreams() {
    Map<String, byte[]> seeds = new LinkedHashMap<>();
    byte[] a = query(LabWorld.SECURE_WWW, Type.A, true, false).toWire();
    byte[] b = query(LabWorld.ED_WWW, Type.AAAA, false, false).toWire();
    seeds.put("one-query", frame(a));
    seeds.put("pipelined", concat(frame(a), frame(b)));
    seeds.put("zero-length", concat(frame(a), new byte[] {0, 0}));
    seeds.put("max-length-prefix-then-short", concat(new byte[] {(byte) 0xFF, (byte) 0xFF}, a));
    seeds.put("half-prefix", new byte[] {0});
    byte[] garbage = new byte[300];
    for (int i = 0; i < garbage.length; i++) {
      garbage[i] = (byte) (i * 7);
    }
    seeds.put("framed-garbage", frame(garbage));
    return seeds;
  }

  private static Map<String, byte[]> upstreamAnswers() {
    Map<String, byte[]> seeds = new LinkedHashMap<>();
    Message q = query(LabWorld.SECURE_WWW, Type.A, true, true);
    byte[] genuine = ANSWERER.respond(q).toWire();
    seeds.put("matched-genuine", upstreamInput(1, genuine, new byte[0]));
    seeds.put("unmatched-genuine", upstreamInput(0, genuine, new byte[0]));
    Message tc = ANSWERER.respond(q);
    tc.removeAllRecords(Section.ANSWER);
    tc.getHeader().setFlag(Flags.TC);
    seeds.put("truncated-then-tcp-genuine", upstreamInput(1, tc.toWire(), frame(genuine)));
    seeds.put("truncated-then-tcp-garbage", upstreamInput(1, tc.toWire(), new byte[] {(byte) 0xFF, (byte) 0xFF, 1, 2, 3}));
    seeds.put("nxdomain", upstreamInput(1, ANSWERER.respond(query(LabWorld.SECURE_NX, Type.A, true, true)).toWire(), new byte[0]));
    seeds.put("empty", new byte[0]);
    return seeds;
  }

  private static Map<String, byte[]> validatorInputs() {
    Map<String, byte[]> seeds = new LinkedHashMap<>();
    Name www = LabWorld.SECURE_WWW;
    byte[] answer = genuine(www, Type.A);
    seeds.put("genuine", chunks(answer));
    seeds.put("genuine-with-chain", chunks(answer, genuine(Name.root, Type.DNSKEY), genuine(LabWorld.TEST, Type.DS),
        genuine(LabWorld.TEST, Type.DNSKEY), genuine(LabWorld.SECURE, Type.DS), genuine(LabWorld.SECURE, Type.DNSKEY)));
    seeds.put("nodata", chunks(genuine(www, Type.SRV)));
    seeds.put("nxdomain", chunks(genuine(LabWorld.SECURE_NX, Type.A)));
    seeds.put("wildcard", chunks(genuine(LabWorld.SECURE_WILDCARD_HOST, Type.A)));
    seeds.put("cname-cross-zone", chunks(genuine(LabWorld.SECURE_ALIAS, Type.A)));
    seeds.put("dname", chunks(genuine(LabWorld.SECURE_DNAME_WWW, Type.A)));
    seeds.put("nsec3-nxdomain", chunks(genuine(LabWorld.NSEC3_NX, Type.A)));
    seeds.put("optout", chunks(genuine(LabWorld.OPTOUT_NX, Type.A)));
    seeds.put("badsig", chunks(genuine(LabWorld.BADSIG_WWW, Type.A)));
    seeds.put("insecure", chunks(genuine(LabWorld.INSECURE_WWW, Type.A)));
    return seeds;
  }

  private static byte[] genuine(Name name, int type) {
    return ANSWERER.respond(query(name, type, true, true)).toWire();
  }

  private static Message query(Name name, int type, boolean dnssecOk, boolean cd) {
    Message q = Message.newQuery(Record.newRecord(name, type, DClass.IN));
    if (cd) {
      q.getHeader().setFlag(Flags.CD);
    }
    if (dnssecOk) {
      q.addRecord(new OPTRecord(1232, 0, 0, ExtendedFlags.DO), Section.ADDITIONAL);
    }
    return q;
  }

  private static byte[] upstreamInput(int flags, byte[] udp, byte[] tcp) {
    return concat(new byte[] {(byte) flags, (byte) (udp.length >>> 8), (byte) udp.length}, udp, tcp);
  }

  private static byte[] chunks(byte[]... messages) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] m : messages) {
      out.writeBytes(frame(m));
    }
    return out.toByteArray();
  }

  private static byte[] frame(byte[] m) {
    return concat(new byte[] {(byte) (m.length >>> 8), (byte) m.length}, m);
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  private static void write(Path dir, Map<String, byte[]> seeds) throws IOException {
    Files.createDirectories(dir);
    for (Map.Entry<String, byte[]> e : seeds.entrySet()) {
      Files.write(dir.resolve("seed-" + e.getKey()), e.getValue());
    }
  }
}
