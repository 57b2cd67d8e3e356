package io.dnssecproxy.lab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Type;

/**
 * The shared test world: a signed root and below it every case the validator must handle.
 * Built once per JVM on first use (key generation and signing are slow); immutable after that.
 *
 * <p>All signatures are valid from {@link #INCEPTION} (NOW-30d) to {@link #EXPIRATION}
 * (NOW+30d) unless a bogus zone says otherwise. Validate at {@link #NOW} / {@link #CLOCK}.
 *
 * <pre>
 * .                    RSASHA256 (8)   NSEC   trust anchor = DS of its KSK
 * └─ test.             ECDSAP256 (13)  NSEC
 *    ├─ secure.test.   13, NSEC   www A 192.0.2.1 / AAAA 2001:db8::1 / TXT / MX 10 mail
 *    │                            mail A 192.0.2.25; *.wild A 192.0.2.2;
 *    │                            host.ent A 192.0.2.3 (so ent. is an empty non-terminal);
 *    │                            alias CNAME www.nsec3.test. (cross-zone, secure);
 *    │                            alias-insecure CNAME www.insecure.test.;
 *    │                            alias-nx CNAME nx.nsec3.test. (target NXDOMAIN);
 *    │                            dname DNAME nsec3.test.
 *    ├─ nsec3.test.    8, NSEC3 (0 iterations, no salt, RFC 9276)
 *    │                            www A 192.0.2.11; *.wild A 192.0.2.12; host.ent A 192.0.2.13
 *    ├─ highiter.test. 13, NSEC3 200 iterations, salt AABBCCDD; www A 192.0.2.21
 *    ├─ optout.test.   8, NSEC3 opt-out; www A 192.0.2.31
 *    │  └─ unsigned.optout.test.  unsigned (no DS, not in the NSEC3 chain); www A 192.0.2.32
 *    ├─ ed.test.       ED25519 (15), NSEC; www A 192.0.2.41
 *    ├─ insecure.test. unsigned (NS without DS, NSEC in test. proves it); www A 192.0.2.51
 *    └─ bogus, all 13/NSEC with www A 192.0.2.6x:
 *       expired.test.  www A signed NOW-60d..NOW-1d
 *       notyet.test.   www A signed NOW+1d..NOW+60d
 *       badsig.test.   www A RRSIG with one bit flipped
 *       nods.test.     DS in test. matches no DNSKEY of nods.test.
 *       nosig.test.    www A without RRSIG
 *       badksk.test.   DNSKEY RRset signed by the ZSK only, DS points at the KSK
 *       forged.test.   NXDOMAIN/NODATA answers carry SOA but no NSEC
 * </pre>
 *
 * Name servers are {@code ns1.<zone>} with glue 192.0.2.53; names under {@code nx} never exist.
 */
public final class LabWorld {

  public static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");
  public static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
  public static final Instant INCEPTION = NOW.minus(Duration.ofDays(30));
  public static final Instant EXPIRATION = NOW.plus(Duration.ofDays(30));

  public static final Name ROOT = Name.root;
  public static final Name TEST = name("test.");

  public static final Name SECURE = name("secure.test.");
  public static final Name SECURE_WWW = name("www.secure.test.");
  public static final Name SECURE_MAIL = name("mail.secure.test.");
  /** Not in the zone; matched by {@code *.wild.secure.test.}. */
  public static final Name SECURE_WILDCARD_HOST = name("host.wild.secure.test.");
  /** Empty non-terminal (above host.ent.secure.test.). */
  public static final Name SECURE_ENT = name("ent.secure.test.");
  public static final Name SECURE_NX = name("nx.secure.test.");
  public static final Name SECURE_ALIAS = name("alias.secure.test.");
  public static final Name SECURE_ALIAS_INSECURE = name("alias-insecure.secure.test.");
  public static final Name SECURE_ALIAS_NX = name("alias-nx.secure.test.");
  public static final Name SECURE_DNAME = name("dname.secure.test.");
  /** Below the DNAME: rewritten to www.nsec3.test. */
  public static final Name SECURE_DNAME_WWW = name("www.dname.secure.test.");

  public static final Name NSEC3 = name("nsec3.test.");
  public static final Name NSEC3_WWW = name("www.nsec3.test.");
  public static final Name NSEC3_WILDCARD_HOST = name("host.wild.nsec3.test.");
  public static final Name NSEC3_ENT = name("ent.nsec3.test.");
  public static final Name NSEC3_NX = name("nx.nsec3.test.");

  public static final Name HIGHITER = name("highiter.test.");
  public static final Name HIGHITER_WWW = name("www.highiter.test.");
  public static final Name HIGHITER_NX = name("nx.highiter.test.");

  public static final Name OPTOUT = name("optout.test.");
  public static final Name OPTOUT_WWW = name("www.optout.test.");
  /** Absent, and in an opt-out span: its NXDOMAIN is provably only insecure. */
  public static final Name OPTOUT_NX = name("nx.optout.test.");
  public static final Name OPTOUT_UNSIGNED = name("unsigned.optout.test.");
  public static final Name OPTOUT_UNSIGNED_WWW = name("www.unsigned.optout.test.");

  public static final Name ED = name("ed.test.");
  public static final Name ED_WWW = name("www.ed.test.");

  public static final Name INSECURE = name("insecure.test.");
  public static final Name INSECURE_WWW = name("www.insecure.test.");

  public static final Name EXPIRED = name("expired.test.");
  public static final Name EXPIRED_WWW = name("www.expired.test.");
  public static final Name NOTYET = name("notyet.test.");
  public static final Name NOTYET_WWW = name("www.notyet.test.");
  public static final Name BADSIG = name("badsig.test.");
  public static final Name BADSIG_WWW = name("www.badsig.test.");
  public static final Name NODS = name("nods.test.");
  public static final Name NODS_WWW = name("www.nods.test.");
  public static final Name NOSIG = name("nosig.test.");
  public static final Name NOSIG_WWW = name("www.nosig.test.");
  public static final Name BADKSK = name("badksk.test.");
  public static final Name BADKSK_WWW = name("www.badksk.test.");
  public static final Name FORGED = name("forged.test.");
  public static final Name FORGED_WWW = name("www.forged.test.");
  public static final Name FORGED_NX = name("nx.forged.test.");

  /** Every zone whose data validates at NOW. */
  public static final List<Name> GOOD_ZONES = List.of(ROOT, TEST, SECURE, NSEC3, HIGHITER,
      OPTOUT, ED);
  /** Zones without DNSSEC (insecure delegations). */
  public static final List<Name> UNSIGNED_ZONES = List.of(INSECURE, OPTOUT_UNSIGNED);
  /** Zones whose www A (or nx) answers a validator must reject. */
  public static final List<Name> BOGUS_ZONES = List.of(EXPIRED, NOTYET, BADSIG, NODS, NOSIG,
      BADKSK, FORGED);

  private static final class Holder {
    static final LabWorld INSTANCE = new LabWorld();
  }

  private final Map<Name, LabZone> zones = new LinkedHashMap<>();
  private Path trustAnchorFile;

  private LabWorld() {
    KeyIndexes keys = new KeyIndexes();
    LabZone secure = LabZone.builder(SECURE)
        .signing(SigningConfig.nsec(DNSSEC.Algorithm.ECDSAP256SHA256, INCEPTION, EXPIRATION)
            .withKeyIndex(keys.next()))
        .a("www", "192.0.2.1")
        .aaaa("www", "2001:db8::1")
        .txt("www", "secure www")
        .mx("www", 10, "mail")
        .a("mail", "192.0.2.25")
        .a("*.wild", "192.0.2.2")
        .a("host.ent", "192.0.2.3")
        .cname("alias", "www.nsec3.test.")
        .cname("alias-insecure", "www.insecure.test.")
        .cname("alias-nx", "nx.nsec3.test.")
        .dname("dname", "nsec3.test.")
        .build();
    LabZone nsec3 = LabZone.builder(NSEC3)
        .signing(SigningConfig.nsec3(DNSSEC.Algorithm.RSASHA256, Nsec3Params.rfc9276(),
            INCEPTION, EXPIRATION).withKeyIndex(keys.next()))
        .a("www", "192.0.2.11")
        .a("*.wild", "192.0.2.12")
        .a("host.ent", "192.0.2.13")
        .build();
    LabZone highIter = LabZone.builder(HIGHITER)
        .signing(SigningConfig.nsec3(DNSSEC.Algorithm.ECDSAP256SHA256,
            new Nsec3Params(200, HexFormat.of().parseHex("aabbccdd"), false),
            INCEPTION, EXPIRATION).withKeyIndex(keys.next()))
        .a("www", "192.0.2.21")
        .build();
    LabZone optOutChild = LabZone.builder(OPTOUT_UNSIGNED).a("www", "192.0.2.32").build();
    LabZone optOut = LabZone.builder(OPTOUT)
        .signing(SigningConfig.nsec3(DNSSEC.Algorithm.RSASHA256,
            new Nsec3Params(0, new byte[0], true), INCEPTION, EXPIRATION)
            .withKeyIndex(keys.next()))
        .a("www", "192.0.2.31")
        .delegate(optOutChild)
        .build();
    LabZone ed = LabZone.builder(ED)
        .signing(SigningConfig.nsec(DNSSEC.Algorithm.ED25519, INCEPTION, EXPIRATION)
            .withKeyIndex(keys.next()))
        .a("www", "192.0.2.41")
        .build();
    LabZone insecure = LabZone.builder(INSECURE).a("www", "192.0.2.51").build();

    List<LabZone> bogus = List.of(
        bogus(EXPIRED, "192.0.2.61", keys, ZoneMutations.expired(EXPIRED_WWW, Type.A, NOW)),
        bogus(NOTYET, "192.0.2.62", keys, ZoneMutations.notYetValid(NOTYET_WWW, Type.A, NOW)),
        bogus(BADSIG, "192.0.2.63", keys, ZoneMutations.corruptSignature(BADSIG_WWW, Type.A)),
        bogus(NODS, "192.0.2.64", keys, z -> { }),
        bogus(NOSIG, "192.0.2.65", keys, ZoneMutations.stripSignatures(NOSIG_WWW, Type.A)),
        bogus(BADKSK, "192.0.2.66", keys, ZoneMutations.signDnskeyWithZskOnly()),
        bogus(FORGED, "192.0.2.67", keys, ZoneMutations.omitDenialProofs()));

    LabZone.Builder testBuilder = LabZone.builder(TEST)
        .signing(SigningConfig.nsec(DNSSEC.Algorithm.ECDSAP256SHA256, INCEPTION, EXPIRATION)
            .withKeyIndex(keys.next()));
    List<LabZone> children = new ArrayList<>(List.of(secure, nsec3, highIter, optOut, ed,
        insecure));
    children.addAll(bogus);
    children.forEach(testBuilder::delegate);
    LabZone test = testBuilder.mutate(ZoneMutations.unmatchedDs(NODS)).build();

    LabZone root = LabZone.builder(ROOT)
        .signing(SigningConfig.nsec(DNSSEC.Algorithm.RSASHA256, INCEPTION, EXPIRATION)
            .withKeyIndex(keys.next()))
        .delegate(test)
        .build();

    for (LabZone z : List.of(root, test, secure, nsec3, highIter, optOut, optOutChild, ed,
        insecure)) {
      zones.put(z.apex(), z);
    }
    bogus.forEach(z -> zones.put(z.apex(), z));
  }

  /** The shared world; the first call builds it. */
  public static LabWorld get() {
    return Holder.INSTANCE;
  }

  public List<LabZone> zones() {
    return List.copyOf(zones.values());
  }

  public LabZone zone(Name apex) {
    LabZone zone = zones.get(apex);
    if (zone == null) {
      throw new IllegalArgumentException("no zone " + apex);
    }
    return zone;
  }

  /** The root KSK's DS records: the trust anchor. */
  public List<DSRecord> rootDs() {
    return zone(ROOT).dsRecords();
  }

  /** The trust anchor as zone-file lines ({@code . 3600 IN DS ...}). */
  public String trustAnchorText() {
    StringBuilder text = new StringBuilder();
    rootDs().forEach(ds -> text.append(ds).append('\n'));
    return text.toString();
  }

  /** {@link #trustAnchorText()} in a temporary file, written once and deleted on exit. */
  public synchronized Path trustAnchorFile() {
    if (trustAnchorFile == null) {
      try {
        Path file = Files.createTempFile("dnssec-lab-anchor", ".txt");
        file.toFile().deleteOnExit();
        Files.writeString(file, trustAnchorText(), StandardCharsets.US_ASCII);
        trustAnchorFile = file;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return trustAnchorFile;
  }

  private static LabZone bogus(Name apex, String address, KeyIndexes keys,
      ZoneMutation mutation) {
    return LabZone.builder(apex)
        .signing(SigningConfig.nsec(DNSSEC.Algorithm.ECDSAP256SHA256, INCEPTION, EXPIRATION)
            .withKeyIndex(keys.next()))
        .a("www", address)
        .mutate(mutation)
        .build();
  }

  private static Name name(String text) {
    return Name.fromConstantString(text);
  }

  /** Hands each zone its own cached key pairs (per algorithm, the index just has to differ). */
  private static final class KeyIndexes {
    private int next;

    int next() {
      return next++;
    }
  }
}
