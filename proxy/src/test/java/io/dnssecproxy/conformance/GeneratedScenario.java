package io.dnssecproxy.conformance;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Record;

/**
 * A small replay scenario signed at test time (ECDSA P-256), so the harness can be tested
 * without the external scenario folder: a secure answer, and a forged one (its signature
 * belongs to different data) that a validator must refuse.
 */
final class GeneratedScenario {

  static final Instant NOW = Instant.parse("2024-01-01T00:00:00Z");
  private static final DateTimeFormatter OVERRIDE_DATE =
      DateTimeFormatter.ofPattern("yyyyMMddHHmmss").withZone(ZoneOffset.UTC);

  private GeneratedScenario() {}

  static String text() throws Exception {
    Name zone = Name.fromString("example.");
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    KeyPair pair = generator.generateKeyPair();
    DNSKEYRecord key = new DNSKEYRecord(zone, DClass.IN, 3600, 257, DNSKEYRecord.Protocol.DNSSEC,
        DNSSEC.Algorithm.ECDSAP256SHA256, pair.getPublic());
    DSRecord anchor = new DSRecord(zone, DClass.IN, 3600, DSRecord.SHA256_DIGEST_ID, key);
    Instant from = NOW.minus(Duration.ofDays(10));
    Instant until = NOW.plus(Duration.ofDays(10));

    RRSIGRecord keySig = DNSSEC.sign(new RRset(key), key, pair.getPrivate(), from, until);
    ARecord good = new ARecord(Name.fromString("www.example."), DClass.IN, 3600,
        java.net.InetAddress.getByName("192.0.2.10"));
    RRSIGRecord goodSig = DNSSEC.sign(new RRset(good), key, pair.getPrivate(), from, until);
    ARecord forged = new ARecord(Name.fromString("bad.example."), DClass.IN, 3600,
        java.net.InetAddress.getByName("192.0.2.66"));
    ARecord signedInstead = new ARecord(forged.getName(), DClass.IN, 3600,
        java.net.InetAddress.getByName("192.0.2.11"));
    RRSIGRecord forgedSig =
        DNSSEC.sign(new RRset(signedInstead), key, pair.getPrivate(), from, until);

    return String.join("\n",
        "server:",
        "\ttrust-anchor: \"" + anchor + "\"",
        "\tval-override-date: \"" + OVERRIDE_DATE.format(NOW) + "\"",
        "forward-zone:",
        "\tname: \".\"",
        "\tforward-addr: 192.0.2.1",
        "CONFIG_END",
        "SCENARIO_BEGIN generated: one secure answer, one forged answer",
        "RANGE_BEGIN 0 100",
        "\tADDRESS 192.0.2.1",
        entry("example. IN DNSKEY", key, keySig),
        entry("www.example. IN A", good, goodSig),
        entry("bad.example. IN A", forged, forgedSig),
        "RANGE_END",
        "STEP 1 QUERY",
        "ENTRY_BEGIN",
        "REPLY RD DO",
        "SECTION QUESTION",
        "www.example. IN A",
        "ENTRY_END",
        "STEP 2 CHECK_ANSWER",
        "ENTRY_BEGIN",
        "MATCH all",
        "REPLY QR RD RA AD DO NOERROR",
        "SECTION QUESTION",
        "www.example. IN A",
        "SECTION ANSWER",
        good.toString(),
        goodSig.toString(),
        "ENTRY_END",
        "STEP 3 QUERY",
        "ENTRY_BEGIN",
        "REPLY RD DO",
        "SECTION QUESTION",
        "bad.example. IN A",
        "ENTRY_END",
        "STEP 4 CHECK_ANSWER",
        "ENTRY_BEGIN",
        "MATCH all",
        "REPLY QR RD RA DO SERVFAIL",
        "SECTION QUESTION",
        "bad.example. IN A",
        "ENTRY_END",
        "SCENARIO_END",
        "");
  }

  private static String entry(String question, Record data, RRSIGRecord sig) {
    return String.join("\n",
        "ENTRY_BEGIN",
        "MATCH opcode qtype qname",
        "ADJUST copy_id",
        "REPLY QR AA NOERROR",
        "SECTION QUESTION",
        question,
        "SECTION ANSWER",
        data.toString(),
        sig.toString(),
        "ENTRY_END");
  }
}
