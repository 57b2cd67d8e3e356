package io.dnssecproxy.lab;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNAMERecord;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * An in-memory zone, signed (or not) once at build time, that answers questions like an
 * authoritative server. Immutable after {@link Builder#build()}.
 *
 * <p>Every zone gets an SOA (TTL 3600, negative TTL 300) and, unless the test adds apex NS
 * records, {@code NS ns1.<apex>} with address 192.0.2.53. Signed zones publish one KSK (257) and
 * one ZSK (256); NSEC/NSEC3 TTLs are the negative TTL (RFC 9077).
 */
public final class LabZone {

  /** SOA minimum and TTL of NSEC/NSEC3 records. */
  public static final long NEGATIVE_TTL = 300;

  private final Name apex;
  private final SigningConfig signing;
  private final ZoneContent content;
  private final ZoneKey ksk;
  private final ZoneKey zsk;
  private final ZoneLookup lookup;

  private LabZone(Name apex, SigningConfig signing, ZoneContent content, ZoneKey ksk,
      ZoneKey zsk, boolean omitDenialProofs) {
    this.apex = apex;
    this.signing = signing;
    this.content = content;
    this.ksk = ksk;
    this.zsk = zsk;
    DenialProofs proofs = !signing.signed() ? DenialProofs.NONE
        : signing.denial() == Denial.NSEC ? new NsecProofs(content)
        : new Nsec3Proofs(content, signing.nsec3());
    this.lookup = new ZoneLookup(content, proofs, omitDenialProofs ? DenialProofs.NONE : proofs);
  }

  public static Builder builder(String apex) {
    return new Builder(Name.fromConstantString(apex.endsWith(".") ? apex : apex + "."));
  }

  public static Builder builder(Name apex) {
    return new Builder(apex);
  }

  public Name apex() {
    return apex;
  }

  public SigningConfig signing() {
    return signing;
  }

  public boolean signed() {
    return signing.signed();
  }

  /** The key-signing key, or null for an unsigned zone. */
  public ZoneKey ksk() {
    return ksk;
  }

  /** The zone-signing key, or null for an unsigned zone. */
  public ZoneKey zsk() {
    return zsk;
  }

  /** DS records (SHA-256 of the KSK) the parent should publish; empty when unsigned. */
  public List<DSRecord> dsRecords() {
    if (ksk == null) {
      return List.of();
    }
    return List.of(new DSRecord(apex, DClass.IN, 3600, DSRecord.SHA256_DIGEST_ID, ksk.dnskey()));
  }

  /** The apex DNSKEY records (both keys); empty when unsigned. */
  public List<DNSKEYRecord> dnskeys() {
    RRset keys = content.get(apex, Type.DNSKEY);
    List<DNSKEYRecord> out = new ArrayList<>();
    if (keys != null) {
      keys.rrs(false).forEach(r -> out.add((DNSKEYRecord) r));
    }
    return out;
  }

  /** A copy of one RRset with its signatures, or null. */
  public RRset rrset(Name owner, int type) {
    RRset rrset = content.get(owner, type);
    return rrset == null ? null : new RRset(rrset);
  }

  /** Copies of every RRset in the zone, glue and NSEC/NSEC3 included. */
  public List<RRset> rrsets() {
    List<RRset> out = new ArrayList<>();
    content.allRRsets().forEach(r -> out.add(new RRset(r)));
    return out;
  }

  /** True when the RRset is zone data this zone signs (not delegation NS or glue). */
  public boolean isAuthoritativeFor(RRset rrset) {
    return ZoneSigner.isSigned(content, rrset);
  }

  /** Answers one question from this zone's data alone. */
  public ZoneAnswer lookup(Name qname, int qtype) {
    return lookup.lookup(qname, qtype);
  }

  @Override
  public String toString() {
    StringBuilder text = new StringBuilder();
    for (RRset rrset : content.allRRsets()) {
      rrset.rrs(false).forEach(r -> text.append(r).append('\n'));
      rrset.sigs().forEach(r -> text.append(r).append('\n'));
    }
    return text.toString();
  }

  /** Collects records, delegations, signing config and mutations; {@link #build()} signs. */
  public static final class Builder {

    private final Name apex;
    private final List<Record> records = new ArrayList<>();
    private final List<ZoneMutation> mutations = new ArrayList<>();
    private SigningConfig signing = SigningConfig.unsigned();
    private long ttl = 3600;

    private Builder(Name apex) {
      this.apex = apex;
    }

    /** TTL for records added after this call. */
    public Builder ttl(long ttl) {
      this.ttl = ttl;
      return this;
    }

    public Builder signing(SigningConfig signing) {
      this.signing = signing;
      return this;
    }

    public Builder a(String owner, String address) {
      return record(new ARecord(name(owner), DClass.IN, ttl, address(address)));
    }

    public Builder aaaa(String owner, String address) {
      return record(new AAAARecord(name(owner), DClass.IN, ttl, address(address)));
    }

    public Builder txt(String owner, String... strings) {
      return record(new TXTRecord(name(owner), DClass.IN, ttl, List.of(strings)));
    }

    public Builder mx(String owner, int preference, String exchange) {
      return record(new MXRecord(name(owner), DClass.IN, ttl, preference, name(exchange)));
    }

    public Builder cname(String owner, String target) {
      return record(new CNAMERecord(name(owner), DClass.IN, ttl, name(target)));
    }

    public Builder dname(String owner, String target) {
      return record(new DNAMERecord(name(owner), DClass.IN, ttl, name(target)));
    }

    public Builder ns(String owner, String host) {
      return record(new NSRecord(name(owner), DClass.IN, ttl, name(host)));
    }

    /** Any record type from its zone-file RDATA text, e.g. {@code ("@", Type.CAA, "0 issue x")}. */
    public Builder record(String owner, int type, String rdata) {
      try {
        return record(Record.fromString(name(owner), type, DClass.IN, ttl, rdata, apex));
      } catch (IOException e) {
        throw new IllegalArgumentException(rdata, e);
      }
    }

    public Builder record(Record record) {
      records.add(record);
      return this;
    }

    /**
     * Delegates to {@code child}: copies its apex NS RRset, glue for in-child name servers, and
     * (when the child is signed) its DS records.
     */
    public Builder delegate(LabZone child) {
      Name cut = child.apex();
      RRset ns = child.content.get(cut, Type.NS);
      for (Record r : ns.rrs(false)) {
        records.add(r);
        Name host = ((NSRecord) r).getTarget();
        if (host.subdomain(cut)) {
          for (int type : new int[] {Type.A, Type.AAAA}) {
            RRset glue = child.content.get(host, type);
            if (glue != null) {
              records.addAll(glue.rrs(false));
            }
          }
        }
      }
      records.addAll(child.dsRecords());
      return this;
    }

    /**
     * Delegates {@code child} (relative or absolute) to one name server, with glue when the
     * server is below the cut, and the given DS records (empty for an insecure delegation). For
     * children that are not {@link LabZone}s, or DS sets that do not come from the child.
     */
    public Builder delegate(String child, String nsHost, String glueAddress, List<DSRecord> ds) {
      Name cut = name(child);
      Name host = name(nsHost);
      records.add(new NSRecord(cut, DClass.IN, ttl, host));
      if (host.subdomain(cut) && glueAddress != null) {
        records.add(new ARecord(host, DClass.IN, ttl, address(glueAddress)));
      }
      records.addAll(ds);
      return this;
    }

    /** Applied in order after signing. */
    public Builder mutate(ZoneMutation mutation) {
      mutations.add(mutation);
      return this;
    }

    public LabZone build() {
      ZoneContent content = new ZoneContent(apex);
      Name ns1 = name("ns1");
      content.add(new SOARecord(apex, DClass.IN, 3600, ns1, name("hostmaster"), 1,
          7200, 3600, 1209600, NEGATIVE_TTL));
      records.forEach(content::add);
      if (content.get(apex, Type.NS) == null) {
        content.add(new NSRecord(apex, DClass.IN, ttl, ns1));
        if (content.get(ns1, Type.A) == null) {
          content.add(new ARecord(ns1, DClass.IN, ttl, address("192.0.2.53")));
        }
      }
      ZoneKey ksk = null;
      ZoneKey zsk = null;
      boolean[] omitDenial = {false};
      if (signing.signed()) {
        ksk = key(KeyRole.KSK);
        zsk = key(KeyRole.ZSK);
        content.add(ksk.dnskey());
        content.add(zsk.dnskey());
        if (signing.denial() == Denial.NSEC) {
          NsecChainBuilder.build(content, NEGATIVE_TTL);
        } else {
          Nsec3ChainBuilder.build(content, signing.nsec3(), NEGATIVE_TTL);
        }
        ZoneSigner.sign(content, ksk, zsk, signing);
        ZoneMutation.Context context = context(content, ksk, zsk, omitDenial);
        mutations.forEach(m -> m.apply(context));
      } else if (!mutations.isEmpty()) {
        throw new IllegalStateException("mutations need a signed zone: " + apex);
      }
      return new LabZone(apex, signing, content, ksk, zsk, omitDenial[0]);
    }

    private ZoneMutation.Context context(ZoneContent content, ZoneKey ksk, ZoneKey zsk,
        boolean[] omitDenial) {
      SigningConfig config = signing;
      return new ZoneMutation.Context() {
        @Override
        public ZoneContent content() {
          return content;
        }

        @Override
        public ZoneKey ksk() {
          return ksk;
        }

        @Override
        public ZoneKey zsk() {
          return zsk;
        }

        @Override
        public SigningConfig signing() {
          return config;
        }

        @Override
        public void omitDenialProofs() {
          omitDenial[0] = true;
        }
      };
    }

    private ZoneKey key(KeyRole role) {
      KeyPair pair = LabKeys.keyPair(signing.algorithm(), role, signing.keyIndex());
      try {
        DNSKEYRecord dnskey = new DNSKEYRecord(apex, DClass.IN, 3600, role.flags(),
            DNSKEYRecord.Protocol.DNSSEC, signing.algorithm(), pair.getPublic());
        return new ZoneKey(role, dnskey, pair.getPrivate());
      } catch (DNSSEC.DNSSECException e) {
        throw new IllegalStateException("cannot publish key for " + apex, e);
      }
    }

    /** "@" is the apex, names ending in a dot are absolute, others are relative to the apex. */
    private Name name(String owner) {
      if (owner.equals("@")) {
        return apex;
      }
      try {
        return Name.fromString(owner, apex);
      } catch (TextParseException e) {
        throw new IllegalArgumentException(owner, e);
      }
    }

    private static InetAddress address(String literal) {
      try {
        // Parses literals only, so a typo can never turn into a real DNS look-up.
        return org.xbill.DNS.Address.getByAddress(literal);
      } catch (UnknownHostException e) {
        throw new IllegalArgumentException(literal, e);
      }
    }
  }
}
