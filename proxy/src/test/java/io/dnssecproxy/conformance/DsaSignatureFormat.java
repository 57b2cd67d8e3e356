package io.dnssecproxy.conformance;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * Rewrites DSA RRSIG signatures from DER to the RFC 2536 wire format.
 *
 * <p>Unbound's test data was generated with signatures stored as the DER {@code SEQUENCE {r,
 * s}} that OpenSSL produces, which unbound accepts as-is. On the wire DNSSEC defines DSA
 * signatures as {@code T | R | S} (1 + 20 + 20 octets, RFC 2536 section 3), and that is what a
 * standards-following validator must be given. Rewriting the test data (rather than making the
 * validator accept DER) keeps the scenario meaning while presenting real-world bytes.
 */
final class DsaSignatureFormat {

  private static final int RFC2536_LENGTH = 1 + 20 + 20;

  private final Map<String, Integer> tByKey = new HashMap<>();

  /** Learns each DSA key's T parameter (its first octet) so signatures can carry the same T. */
  DsaSignatureFormat(List<Record> allRecords) {
    for (Record r : allRecords) {
      if (r instanceof DNSKEYRecord key && isDsa(key.getAlgorithm()) && key.getKey().length > 0) {
        tByKey.put(keyId(key.getName(), key.getFootprint()), key.getKey()[0] & 0xff);
      }
    }
  }

  /** The record unchanged, or the same RRSIG with its DER DSA signature converted. */
  Record normalize(Record record) {
    if (!(record instanceof RRSIGRecord sig) || !isDsa(sig.getAlgorithm())) {
      return record;
    }
    byte[] der = sig.getSignature();
    byte[] converted = derToRfc2536(der, tByKey.getOrDefault(
        keyId(sig.getSigner(), sig.getFootprint()), 0));
    if (converted == null) {
      return record;
    }
    // Rebuild from rdata bytes rather than the RRSIGRecord constructor, so every other field
    // (notably the labels count, which some scenarios set deliberately) stays as written.
    byte[] rdata = sig.rdataToWireCanonical();
    byte[] fixed = Arrays.copyOf(rdata, rdata.length - der.length + converted.length);
    System.arraycopy(converted, 0, fixed, rdata.length - der.length, converted.length);
    return Record.newRecord(sig.getName(), Type.RRSIG, sig.getDClass(), sig.getTTL(), fixed);
  }

  /** The T|R|S form of a DER DSA signature, or null when the input is not DER. */
  static byte[] derToRfc2536(byte[] der, int t) {
    if (der.length == RFC2536_LENGTH || der.length < 8 || der[0] != 0x30
        || (der[1] & 0xff) != der.length - 2) {
      return null;
    }
    int pos = 2;
    ByteArrayOutputStream out = new ByteArrayOutputStream(RFC2536_LENGTH);
    out.write(t);
    for (int i = 0; i < 2; i++) {
      if (pos + 2 > der.length || der[pos] != 0x02) {
        return null;
      }
      int len = der[pos + 1] & 0xff;
      pos += 2;
      if (pos + len > der.length) {
        return null;
      }
      byte[] integer = Arrays.copyOfRange(der, pos, pos + len);
      pos += len;
      byte[] fixed = toFixed20(integer);
      if (fixed == null) {
        return null;
      }
      out.writeBytes(fixed);
    }
    return pos == der.length ? out.toByteArray() : null;
  }

  /** A DER INTEGER (big-endian, maybe with a leading zero) as exactly 20 octets. */
  private static byte[] toFixed20(byte[] integer) {
    int start = 0;
    while (start < integer.length - 1 && integer[start] == 0) {
      start++;
    }
    int len = integer.length - start;
    if (len > 20) {
      return null;
    }
    byte[] fixed = new byte[20];
    System.arraycopy(integer, start, fixed, 20 - len, len);
    return fixed;
  }

  private static boolean isDsa(int algorithm) {
    return algorithm == DNSSEC.Algorithm.DSA || algorithm == DNSSEC.Algorithm.DSA_NSEC3_SHA1;
  }

  private static String keyId(Name name, int footprint) {
    return name.canonicalize() + "/" + footprint;
  }
}
