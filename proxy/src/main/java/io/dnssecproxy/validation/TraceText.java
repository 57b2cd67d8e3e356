package io.dnssecproxy.validation;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** Short human descriptions of keys, signatures and records for trace steps. */
final class TraceText {

  private TraceText() {}

  static String signature(RRSIGRecord sig) {
    return "RRSIG by key " + sig.getFootprint() + " alg " + sig.getAlgorithm() + ", valid " + day(sig.getTimeSigned()) + " .. " + day(sig.getExpire());
  }

  static String keys(List<DNSKEYRecord> keys) {
    List<String> out = new ArrayList<>();
    for (DNSKEYRecord k : keys) {
      boolean ksk = (k.getFlags() & DNSKEYRecord.Flags.SEP_KEY) != 0;
      out.add(k.getFootprint() + (ksk ? " KSK" : " ZSK") + " alg " + k.getAlgorithm());
    }
    return String.join(", ", out);
  }

  static String ds(List<DSRecord> ds) {
    List<String> out = new ArrayList<>();
    for (DSRecord d : ds) {
      out.add(d.getFootprint() + " alg " + d.getAlgorithm() + " " + digest(d.getDigestID()));
    }
    return String.join(", ", out);
  }

  static String digest(int id) {
    return switch (id) {
      case DSRecord.Digest.SHA1 -> "SHA-1";
      case DSRecord.Digest.SHA256 -> "SHA-256";
      case DSRecord.Digest.SHA384 -> "SHA-384";
      case DSRecord.Digest.GOST3411 -> "GOST";
      default -> "digest " + id;
    };
  }

  /** The RRset's data, shortened. */
  static String data(RRset rrset) {
    List<String> out = new ArrayList<>();
    for (Record r : rrset.rrs()) {
      out.add(r.rdataToString());
      if (out.size() == 3 && rrset.size() > 3) {
        out.add("... (" + rrset.size() + " records)");
        break;
      }
    }
    String s = String.join(" | ", out);
    return s.length() > 160 ? s.substring(0, 157) + "..." : s;
  }

  /** Which NSEC/NSEC3 records of the zone a denial relied on. */
  static String denial(Message response, Name zone) {
    List<String> out = new ArrayList<>();
    for (RRset s : response.getSectionRRsets(Section.AUTHORITY)) {
      if ((s.getType() == Type.NSEC || s.getType() == Type.NSEC3) && s.getName().subdomain(zone)) {
        for (Record r : s.rrs()) {
          out.add(Type.string(r.getType()) + " " + r.getName() + " -> " + r.rdataToString().split(" ")[r.getType() == Type.NSEC ? 0 : 4]);
        }
      }
    }
    return out.isEmpty() ? "no denial records" : String.join("; ", out);
  }

  /** What an anchor zone's key set and the configured anchors disagree on (see {@link AnchorKeyWatch}). */
  static String anchorKeys(AnchorKeyWatch.Observation seen) {
    List<String> parts = new java.util.ArrayList<>();
    if (!seen.newKsks().isEmpty()) {
      parts.add("KSK " + tags(seen.newKsks()) + " in the DNSKEY set matches no trust anchor (a key rollover under way?)");
    }
    if (!seen.unusedAnchors().isEmpty()) {
      parts.add("trust anchor " + tags(seen.unusedAnchors()) + " matches no key in use");
    }
    return String.join("; ", parts);
  }

  private static String tags(List<Integer> tags) {
    return tags.stream().map(String::valueOf).collect(java.util.stream.Collectors.joining(", "));
  }

  private static String day(Instant t) {
    return t.toString().substring(0, 16).replace('T', ' ');
  }
}
