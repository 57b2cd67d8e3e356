package io.dnssecproxy.lab;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/** Ready-made {@link ZoneMutation}s for the bogus variants the validator must reject. */
public final class ZoneMutations {

  private ZoneMutations() {}

  /** Re-signs one RRset with the ZSK (KSK for DNSKEY) over the given window. */
  public static ZoneMutation resign(Name owner, int type, Instant inception, Instant expiration) {
    return zone -> {
      RRset rrset = require(zone, owner, type);
      ZoneKey key = type == Type.DNSKEY ? zone.ksk() : zone.zsk();
      zone.content().put(RRsetSigner.signedBy(rrset, inception, expiration, key));
    };
  }

  /** Signatures that expired a day before {@code now} (valid from now-60d to now-1d). */
  public static ZoneMutation expired(Name owner, int type, Instant now) {
    return resign(owner, type, now.minus(Duration.ofDays(60)), now.minus(Duration.ofDays(1)));
  }

  /** Signatures that only become valid a day after {@code now} (now+1d to now+60d). */
  public static ZoneMutation notYetValid(Name owner, int type, Instant now) {
    return resign(owner, type, now.plus(Duration.ofDays(1)), now.plus(Duration.ofDays(60)));
  }

  /** Flips one bit in the middle of every signature over the RRset; everything else intact. */
  public static ZoneMutation corruptSignature(Name owner, int type) {
    return zone -> {
      RRset rrset = require(zone, owner, type);
      RRset broken = RRsetSigner.unsigned(rrset);
      for (RRSIGRecord sig : rrset.sigs()) {
        byte[] bytes = sig.getSignature();
        bytes[bytes.length / 2] ^= 0x01;
        broken.addRR(withSignature(sig, bytes));
      }
      zone.content().put(broken);
    };
  }

  /** Removes the RRSIGs of one RRset, leaving its records. */
  public static ZoneMutation stripSignatures(Name owner, int type) {
    return zone -> zone.content().put(RRsetSigner.unsigned(require(zone, owner, type)));
  }

  /** Signs the apex DNSKEY RRset with the ZSK only, so the DS-referenced KSK signs nothing. */
  public static ZoneMutation signDnskeyWithZskOnly() {
    return zone -> {
      RRset keys = require(zone, zone.content().apex(), Type.DNSKEY);
      SigningConfig c = zone.signing();
      zone.content().put(RRsetSigner.signedBy(keys, c.inception(), c.expiration(), zone.zsk()));
    };
  }

  /**
   * Replaces the DS RRset at a delegation with one whose digest matches no child key (one bit
   * flipped), properly signed by this (the parent) zone.
   */
  public static ZoneMutation unmatchedDs(Name child) {
    return zone -> {
      RRset ds = require(zone, child, Type.DS);
      RRset forged = new RRset();
      for (Record r : ds.rrs(false)) {
        DSRecord d = (DSRecord) r;
        byte[] digest = d.getDigest();
        digest[0] ^= 0x01;
        forged.addRR(
            new DSRecord(d.getName(), d.getDClass(), d.getTTL(), d.getFootprint(),
                d.getAlgorithm(), d.getDigestID(), digest));
      }
      SigningConfig c = zone.signing();
      zone.content().put(RRsetSigner.signedBy(forged, c.inception(), c.expiration(), zone.zsk()));
    };
  }

  /** NXDOMAIN and NODATA answers of the zone carry SOA but no NSEC/NSEC3 proof. */
  public static ZoneMutation omitDenialProofs() {
    return ZoneMutation.Context::omitDenialProofs;
  }

  /** Applies several mutations in order. */
  public static ZoneMutation all(List<ZoneMutation> mutations) {
    return zone -> mutations.forEach(m -> m.apply(zone));
  }

  private static RRset require(ZoneMutation.Context zone, Name owner, int type) {
    RRset rrset = zone.content().get(owner, type);
    if (rrset == null) {
      throw new IllegalArgumentException("no " + Type.string(type) + " RRset at " + owner);
    }
    return rrset;
  }

  private static RRSIGRecord withSignature(RRSIGRecord s, byte[] signature) {
    return new RRSIGRecord(s.getName(), s.getDClass(), s.getTTL(), s.getTypeCovered(),
        s.getAlgorithm(), s.getOrigTTL(), s.getExpire(), s.getTimeSigned(), s.getFootprint(),
        s.getSigner(), signature);
  }
}
