package io.dnssecproxy.validation;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.Master;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * The configured points of trust: DS and/or DNSKEY records per zone. Immutable. The built-in
 * set is the root zone's KSK-2017 (tag 20326) and KSK-2024 (tag 38696) as DS records, from
 * IANA's root-anchors.xml.
 */
public final class TrustAnchors {

  /** The anchors of one zone. Either list may be empty, not both. */
  public record Anchor(Name zone, List<DSRecord> ds, List<DNSKEYRecord> keys) {
    public Anchor {
      ds = List.copyOf(ds);
      keys = List.copyOf(keys);
    }
  }

  private static final String BUILT_IN =
      ". 86400 IN DS 20326 8 2 E06D44B80B8F1D39A95C0B0D7C65D08458E880409BBC683457104237C7F8EC8D\n"
          + ". 86400 IN DS 38696 8 2 683D2D0ACB8C9B712A1948B27F741219298D0A450D612C483AF444A4C0FB2B16\n";

  private final Map<Name, Anchor> byZone;

  private TrustAnchors(Map<Name, Anchor> byZone) {
    this.byZone = Collections.unmodifiableMap(byZone);
  }

  public static TrustAnchors builtIn() {
    try {
      return parse(BUILT_IN, "built-in root anchors");
    } catch (IOException e) {
      throw new IllegalStateException("built-in trust anchors do not parse", e);
    }
  }

  /** Reads DS and DNSKEY records in zone-file format from a file. */
  public static TrustAnchors fromFile(Path file) throws IOException {
    return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
  }

  /**
   * Parses DS and DNSKEY records in zone-file format. Other record types are an error: a
   * trust-anchor file with surprises in it is a configuration mistake worth stopping for.
   */
  public static TrustAnchors parse(String text, String source) throws IOException {
    Map<Name, List<DSRecord>> ds = new HashMap<>();
    Map<Name, List<DNSKEYRecord>> keys = new HashMap<>();
    try (InputStream in = new java.io.ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
        Master master = new Master(in, Name.root, 86400)) {
      Record r;
      while ((r = master.nextRecord()) != null) {
        if (r.getDClass() != DClass.IN) {
          throw new IOException(source + ": trust anchor " + r.getName() + " is not class IN");
        }
        Name zone = r.getName().canonicalize();
        if (r instanceof DSRecord d) {
          ds.computeIfAbsent(zone, z -> new ArrayList<>()).add(d);
        } else if (r instanceof DNSKEYRecord k) {
          keys.computeIfAbsent(zone, z -> new ArrayList<>()).add(k);
        } else {
          throw new IOException(
              source + ": " + r.getName() + " " + Type.string(r.getType()) + " is not a DS or DNSKEY record");
        }
      }
    } catch (org.xbill.DNS.TextParseException e) {
      throw new IOException(source + ": " + e.getMessage(), e);
    }
    Map<Name, Anchor> all = new HashMap<>();
    for (Name zone : union(ds.keySet(), keys.keySet())) {
      all.put(zone, new Anchor(zone, ds.getOrDefault(zone, List.of()), keys.getOrDefault(zone, List.of())));
    }
    if (all.isEmpty()) {
      throw new IOException(source + ": no DS or DNSKEY records found");
    }
    return new TrustAnchors(all);
  }

  private static List<Name> union(java.util.Set<Name> a, java.util.Set<Name> b) {
    java.util.Set<Name> s = new java.util.HashSet<>(a);
    s.addAll(b);
    return new ArrayList<>(s);
  }

  /** The anchor at {@code name} or at its closest ancestor, or null when none covers it. */
  public Anchor closestEnclosing(Name name) {
    Name n = name.canonicalize();
    while (true) {
      Anchor a = byZone.get(n);
      if (a != null) {
        return a;
      }
      if (n.labels() <= 1) {
        return null;
      }
      n = new Name(n, 1);
    }
  }

  public Anchor at(Name zone) {
    return byZone.get(zone.canonicalize());
  }

  public java.util.Collection<Anchor> all() {
    return byZone.values();
  }
}
