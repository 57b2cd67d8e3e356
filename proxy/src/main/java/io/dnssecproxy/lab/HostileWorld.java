package io.dnssecproxy.lab;

import io.dnssecproxy.upstream.Question;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * A signed world of hostile zones (the hardening tests' and {@code lab --world hostile}), each built with the {@link LabZone} builder and a
 * mutation that makes it expensive to validate:
 *
 * <pre>
 * .                  13  trust anchor
 * └─ hostile.        13
 *    ├─ good.          13  www A 198.51.100.1, *.wild A 198.51.100.2 (the control)
 *    ├─ keytrap.       13 + 64 RSA-4088 DNSKEYs sharing one key tag; www and *.wild A carry 32
 *    │                 RRSIGs naming that tag that never verify (KeyTrap, CVE-2023-50387)
 *    ├─ bigexp.        13 + 8 RSA-4088 DNSKEYs with 4096-bit public exponents sharing a tag;
 *    │                 www and *.wild A with 8 such RRSIGs (each verification = one private-key op)
 *    ├─ manysigs.      13; www and *.wild A carry 100 RRSIGs by the ZSK's tag, all garbage
 *    ├─ dnskeysigs.    13; the DNSKEY RRset carries 50 garbage KSK-tag RRSIGs before the real one
 *    ├─ manyds.        13; the parent publishes 300 DS records with the KSK's tag, then the real one
 *    ├─ nsec3many.     13, NSEC3; 300 names; a hostile upstream sends every NSEC3 RRset in denials
 *    ├─ nsec3iter.     13, NSEC3 2500 iterations (above the RFC 9276 limit)
 *    ├─ nsec3deep.     13, NSEC3 150 iterations (at the limit); denials for 100-label names
 *    └─ chain.         13; c0 → c1 → … → c19 → www A, and loop0 → loop1 → loop0
 * </pre>
 *
 * Built once per JVM. Signatures are valid around {@link #NOW}.
 */
public final class HostileWorld {

  public static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");
  static final Instant INCEPTION = NOW.minus(Duration.ofDays(30));
  static final Instant EXPIRATION = NOW.plus(Duration.ofDays(30));

  public static final Name HOSTILE = name("hostile.");
  public static final Name GOOD = name("good.hostile.");
  public static final Name GOOD_WWW = name("www.good.hostile.");
  public static final Name KEYTRAP = name("keytrap.hostile.");
  public static final Name BIGEXP = name("bigexp.hostile.");
  public static final Name MANYSIGS = name("manysigs.hostile.");
  public static final Name DNSKEYSIGS = name("dnskeysigs.hostile.");
  public static final Name MANYDS = name("manyds.hostile.");
  public static final Name NSEC3MANY = name("nsec3many.hostile.");
  public static final Name NSEC3ITER = name("nsec3iter.hostile.");
  public static final Name NSEC3DEEP = name("nsec3deep.hostile.");
  public static final Name CHAIN = name("chain.hostile.");
  public static final Name CHAIN_START = name("c0.chain.hostile.");
  public static final Name LOOP_START = name("loop0.chain.hostile.");

  /** Key tag shared by the forged keys of keytrap. and bigexp. (no real key here has it). */
  static final int FORGED_TAG = 4242;
  /**
   * Not 4096: with a whole number of 16-bit words the modulus would be fixed modulo 65535 by the
   * key tag (65536 = 1 mod 65535), here to a multiple of 5, which crypto libraries reject at once.
   */
  static final int FORGED_MODULUS_BITS = 4088;

  private static final class Holder {
    static final HostileWorld INSTANCE = new HostileWorld();
  }

  private final Map<Name, LabZone> zones = new LinkedHashMap<>();
  private final Map<Question, Function<Message, Message>> hostileAnswers = new LinkedHashMap<>();
  private final RecursiveAnswerer answerer;
  private final String trustAnchorText;

  public static HostileWorld get() {
    return Holder.INSTANCE;
  }

  private HostileWorld() {
    int key = 300; // key indexes apart from LabWorld's
    List<LabZone> children = new ArrayList<>();
    children.add(signed(GOOD, key++).a("www", "198.51.100.1").a("*.wild", "198.51.100.2").build());
    children.add(signed(KEYTRAP, key++).a("www", "198.51.100.3").a("*.wild", "198.51.100.3")
        .mutate(forgedKeyTrap(64, 32, 17)).build());
    children.add(signed(BIGEXP, key++).a("www", "198.51.100.4").a("*.wild", "198.51.100.4")
        .mutate(forgedKeyTrap(8, 8, 4096)).build());
    children.add(signed(MANYSIGS, key++).a("www", "198.51.100.5").a("*.wild", "198.51.100.5")
        .mutate(garbageZskSignatures(100)).build());
    children.add(signed(DNSKEYSIGS, key++).a("www", "198.51.100.6").mutate(garbageKskSignatures(50)).build());
    LabZone manyDs = signed(MANYDS, key++).a("www", "198.51.100.7").build();
    LabZone.Builder many = signed(NSEC3MANY, key++, new Nsec3Params(0, new byte[0], false));
    for (int i = 0; i < 300; i++) {
      many.a("h" + i, "198.51.100.8");
    }
    children.add(many.build());
    children.add(signed(NSEC3ITER, key++, new Nsec3Params(2500, HexFormat.of().parseHex("aabbccdd"), false))
        .a("www", "198.51.100.9").build());
    children.add(signed(NSEC3DEEP, key++, new Nsec3Params(150, HexFormat.of().parseHex("aabbccdd"), false))
        .a("www", "198.51.100.10").build());
    LabZone.Builder chain = signed(CHAIN, key++).a("www", "198.51.100.11");
    for (int i = 0; i < 20; i++) {
      chain.cname("c" + i, i == 19 ? "www" : "c" + (i + 1));
    }
    chain.cname("loop0", "loop1").cname("loop1", "loop0");
    LabZone chainZone = chain.build();
    children.add(chainZone);

    LabZone.Builder parent = signed(HOSTILE, key++);
    children.forEach(parent::delegate);
    parent.delegate(MANYDS.toString(), "ns1." + MANYDS, "192.0.2.53", manyDs(manyDs));
    LabZone hostile = parent.build();
    LabZone root = signed(Name.root, key++).delegate(hostile).build();

    zones.put(Name.root, root);
    zones.put(HOSTILE, hostile);
    zones.put(MANYDS, manyDs);
    children.forEach(z -> zones.put(z.apex(), z));
    answerer = new RecursiveAnswerer(zones.values());
    StringBuilder anchor = new StringBuilder();
    root.dsRecords().forEach(ds -> anchor.append(ds).append('\n'));
    trustAnchorText = anchor.toString();

    LabZone nsec3Many = zones.get(NSEC3MANY);
    hostileAnswers.put(Question.of(name("nx.nsec3many.hostile."), Type.A), q -> everyNsec3(q, nsec3Many));
    hostileAnswers.put(Question.of(CHAIN_START, Type.A), q -> aliasChain(q, chainZone, CHAIN_START, 21));
    hostileAnswers.put(Question.of(LOOP_START, Type.A), q -> aliasChain(q, chainZone, LOOP_START, 2));
  }

  public List<LabZone> zones() {
    return List.copyOf(zones.values());
  }

  /** The root's DS records in zone-file form. */
  public String trustAnchorText() {
    return trustAnchorText;
  }

  /** What the hostile upstream answers: the canned hostile responses, else the zones' data. */
  public Message respond(Message query) {
    Record q = query.getQuestion();
    Function<Message, Message> hostile = q == null ? null : hostileAnswers.get(Question.of(q.getName(), q.getType()));
    return hostile != null ? hostile.apply(query) : answerer.respond(query);
  }

  /** The questions whose answers are hand-made hostile responses. */
  public Map<Question, Function<Message, Message>> hostileAnswers() {
    return hostileAnswers;
  }

  private static LabZone.Builder signed(Name apex, int keyIndex) {
    return LabZone.builder(apex)
        .signing(SigningConfig.nsec(DNSSEC.Algorithm.ECDSAP256SHA256, INCEPTION, EXPIRATION).withKeyIndex(keyIndex));
  }

  private static LabZone.Builder signed(Name apex, int keyIndex, Nsec3Params params) {
    return LabZone.builder(apex)
        .signing(SigningConfig.nsec3(DNSSEC.Algorithm.ECDSAP256SHA256, params, INCEPTION, EXPIRATION).withKeyIndex(keyIndex));
  }

  /** Adds forged colliding keys to the (KSK-signed) DNSKEY set and garbage RRSIGs to www and *.wild A. */
  private static ZoneMutation forgedKeyTrap(int keys, int sigs, int exponentBits) {
    return zone -> {
      Name apex = zone.content().apex();
      RRset keySet = unsigned(zone.content().get(apex, Type.DNSKEY));
      for (DNSKEYRecord k : ForgedKeys.collidingRsaKeys(apex, FORGED_TAG, keys, FORGED_MODULUS_BITS, exponentBits, apex.hashCode())) {
        keySet.addRR(k);
      }
      zone.content().put(signedBy(keySet, zone.ksk().dnskey(), zone.ksk().privateKey()));
      for (Name owner : List.of(name("www." + apex), name("*.wild." + apex))) {
        RRset a = unsigned(zone.content().get(owner, Type.A));
        for (int i = 0; i < sigs; i++) {
          a.addRR(ForgedKeys.garbageSignature(owner, Type.A, DNSSEC.Algorithm.RSASHA256, FORGED_TAG, apex,
              INCEPTION, EXPIRATION, FORGED_MODULUS_BITS / 8, i));
        }
        zone.content().put(a);
      }
    };
  }

  private static ZoneMutation garbageZskSignatures(int sigs) {
    return zone -> {
      Name apex = zone.content().apex();
      for (Name owner : List.of(name("www." + apex), name("*.wild." + apex))) {
        RRset a = unsigned(zone.content().get(owner, Type.A));
        for (int i = 0; i < sigs; i++) {
          a.addRR(ForgedKeys.garbageSignature(owner, Type.A, DNSSEC.Algorithm.ECDSAP256SHA256, zone.zsk().keyTag(), apex,
              INCEPTION, EXPIRATION, 64, i));
        }
        zone.content().put(a);
      }
    };
  }

  /** Garbage KSK-tag signatures first, the real one last, over the DNSKEY set. */
  private static ZoneMutation garbageKskSignatures(int sigs) {
    return zone -> {
      Name apex = zone.content().apex();
      RRset keys = zone.content().get(apex, Type.DNSKEY);
      RRset out = unsigned(keys);
      for (int i = 0; i < sigs; i++) {
        out.addRR(ForgedKeys.garbageSignature(apex, Type.DNSKEY, DNSSEC.Algorithm.ECDSAP256SHA256, zone.ksk().keyTag(), apex,
            INCEPTION, EXPIRATION, 64, i));
      }
      keys.sigs().forEach(out::addRR);
      zone.content().put(out);
    };
  }

  /** 300 DS records with the child KSK's tag and algorithm but wrong digests, then the real one. */
  private static List<DSRecord> manyDs(LabZone child) {
    DSRecord real = child.dsRecords().get(0);
    List<DSRecord> out = new ArrayList<>();
    Random random = new Random(7);
    for (int i = 0; i < 300; i++) {
      byte[] digest = new byte[32];
      random.nextBytes(digest);
      out.add(new DSRecord(real.getName(), DClass.IN, real.getTTL(), real.getFootprint(), real.getAlgorithm(),
          DSRecord.Digest.SHA256, digest));
    }
    out.add(real);
    return out;
  }

  /** NXDOMAIN with the SOA and every NSEC3 RRset of the zone, all properly signed. */
  private static Message everyNsec3(Message query, LabZone zone) {
    Message m = RecursiveAnswerer.emptyResponse(query);
    m.getHeader().setRcode(Rcode.NXDOMAIN);
    add(m, zone.rrset(zone.apex(), Type.SOA), Section.AUTHORITY);
    for (RRset s : zone.rrsets()) {
      if (s.getType() == Type.NSEC3) {
        add(m, s, Section.AUTHORITY);
      }
    }
    return m;
  }

  /** NOERROR with the first {@code links} CNAMEs from {@code start} (and the final data, if reached). */
  private static Message aliasChain(Message query, LabZone zone, Name start, int links) {
    Message m = RecursiveAnswerer.emptyResponse(query);
    Name at = start;
    for (int i = 0; i < links; i++) {
      RRset cname = zone.rrset(at, Type.CNAME);
      if (cname == null) {
        add(m, zone.rrset(at, Type.A), Section.ANSWER);
        break;
      }
      add(m, cname, Section.ANSWER);
      at = ((org.xbill.DNS.CNAMERecord) cname.first()).getTarget();
    }
    return m;
  }

  private static void add(Message m, RRset s, int section) {
    s.rrs(false).forEach(r -> m.addRecord(r, section));
    s.sigs().forEach(r -> m.addRecord(r, section));
  }

  private static RRset unsigned(RRset s) {
    RRset out = new RRset();
    s.rrs(false).forEach(out::addRR);
    return out;
  }

  private static RRset signedBy(RRset s, DNSKEYRecord key, java.security.PrivateKey priv) {
    try {
      RRSIGRecord sig = DNSSEC.sign(s, key, priv, INCEPTION, EXPIRATION);
      RRset out = unsigned(s);
      out.addRR(sig);
      return out;
    } catch (DNSSEC.DNSSECException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Name name(String s) {
    return Name.fromConstantString(s);
  }
}
