package io.dnssecproxy.bench;

import java.net.InetAddress;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.RSAKeyGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.RRset;

/** A zone key and one RRset signed with it, made with dnsjava's {@code DNSSEC.sign}. */
final class SignedData {

  static final Name ZONE = Name.fromConstantString("example.");
  static final Name OWNER = Name.fromConstantString("www.example.");
  static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");

  final DNSKEYRecord key;
  final RRset rrset;
  final RRSIGRecord signature;

  private SignedData(DNSKEYRecord key, RRset rrset, RRSIGRecord signature) {
    this.key = key;
    this.rrset = rrset;
    this.signature = signature;
  }

  /**
   * @param algorithm a DNSSEC algorithm number: 8 (RSASHA256-2048), 13 (ECDSAP256SHA256), 14
   *     (ECDSAP384SHA384), 15 (ED25519) or 16 (ED448)
   */
  static SignedData create(int algorithm) throws Exception {
    KeyPair pair = keyPair(algorithm);
    DNSKEYRecord key = new DNSKEYRecord(ZONE, DClass.IN, 3600, DNSKEYRecord.Flags.ZONE_KEY, DNSKEYRecord.Protocol.DNSSEC,
        algorithm, pair.getPublic());
    RRset rrset = new RRset(new ARecord(OWNER, DClass.IN, 3600, InetAddress.getByName("192.0.2.1")));
    RRSIGRecord sig = DNSSEC.sign(rrset, key, pair.getPrivate(), NOW.minus(Duration.ofDays(1)), NOW.plus(Duration.ofDays(30)));
    rrset.addRR(sig);
    return new SignedData(key, rrset, sig);
  }

  private static KeyPair keyPair(int algorithm) throws Exception {
    switch (algorithm) {
      case DNSSEC.Algorithm.RSASHA256 -> {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(new RSAKeyGenParameterSpec(2048, RSAKeyGenParameterSpec.F4));
        return g.generateKeyPair();
      }
      case DNSSEC.Algorithm.ECDSAP256SHA256 -> {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
      }
      case DNSSEC.Algorithm.ECDSAP384SHA384 -> {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp384r1"));
        return g.generateKeyPair();
      }
      case DNSSEC.Algorithm.ED25519 -> {
        return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
      }
      case DNSSEC.Algorithm.ED448 -> {
        return KeyPairGenerator.getInstance("Ed448").generateKeyPair();
      }
      default -> throw new IllegalArgumentException("no key generator for algorithm " + algorithm);
    }
  }
}
