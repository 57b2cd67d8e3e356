package io.dnssecproxy.lab;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.DClass;

/**
 * Resolves questions through a set of {@link LabZone}s the way a recursive resolver would,
 * with no network: start at the root, follow referrals into held zones, chase CNAME/DNAME
 * targets from the root again, and build the response a DO+CD client gets (raw signed data,
 * RA set, AD never set).
 */
public final class RecursiveAnswerer {

  /** EDNS payload size the fake resolver advertises. */
  public static final int ADVERTISED_PAYLOAD = 1232;

  private static final int MAX_CHAIN = 12;
  private static final int MAX_REFERRALS = 30;

  private final Map<Name, LabZone> zonesByApex = new ConcurrentHashMap<>();

  public RecursiveAnswerer(Collection<LabZone> zones) {
    zones.forEach(z -> zonesByApex.put(z.apex(), z));
    if (!zonesByApex.containsKey(Name.root)) {
      throw new IllegalArgumentException("a recursive resolver needs the root zone");
    }
  }

  /** The full response to a query: ID, question, RD and CD echoed, RA set, OPT if asked. */
  public Message respond(Message query) {
    Message response = emptyResponse(query);
    Record question = query.getQuestion();
    if (question == null) {
      response.getHeader().setRcode(Rcode.FORMERR);
      return response;
    }
    if (query.getHeader().getOpcode() != Opcode.QUERY) {
      response.getHeader().setRcode(Rcode.NOTIMP);
      return response;
    }
    if (question.getDClass() != DClass.IN) {
      response.getHeader().setRcode(Rcode.REFUSED);
      return response;
    }
    Resolution resolution = resolve(question.getName(), question.getType());
    response.getHeader().setRcode(resolution.rcode());
    resolution.answer().forEach(r -> ZoneAnswer.addRRset(response, r, Section.ANSWER));
    resolution.authority().forEach(r -> ZoneAnswer.addRRset(response, r, Section.AUTHORITY));
    return response;
  }

  /** A response with only header, question and OPT: for SERVFAIL and truncation. */
  public static Message emptyResponse(Message query) {
    Message response = new Message(query.getHeader().getID());
    response.getHeader().setFlag(Flags.QR);
    response.getHeader().setFlag(Flags.RA);
    response.getHeader().setOpcode(query.getHeader().getOpcode());
    for (int flag : new int[] {Flags.RD, Flags.CD}) {
      if (query.getHeader().getFlag(flag)) {
        response.getHeader().setFlag(flag);
      }
    }
    if (query.getQuestion() != null) {
      response.addRecord(query.getQuestion(), Section.QUESTION);
    }
    OPTRecord opt = query.getOPT();
    if (opt != null) {
      int doBit = (opt.getFlags() & ExtendedFlags.DO) != 0 ? ExtendedFlags.DO : 0;
      response.addRecord(new OPTRecord(ADVERTISED_PAYLOAD, 0, 0, doBit), Section.ADDITIONAL);
    }
    return response;
  }

  /** Resolves one name and type, chasing aliases across zones. */
  public Resolution resolve(Name qname, int qtype) {
    List<RRset> answer = new ArrayList<>();
    List<RRset> authority = new ArrayList<>();
    Set<Name> seen = new HashSet<>();
    Name current = qname;
    for (int step = 0; step < MAX_CHAIN && seen.add(current); step++) {
      ZoneAnswer za = authoritativeAnswer(current, qtype);
      if (za == null) {
        return new Resolution(Rcode.SERVFAIL, answer, authority);
      }
      addDistinct(answer, za.answer());
      // Wildcard proofs of positive steps; SOA and denial proofs of a negative final name.
      addDistinct(authority, za.authority());
      boolean alias = za.kind() == ZoneAnswer.Kind.CNAME || za.kind() == ZoneAnswer.Kind.DNAME;
      if (!alias) {
        return new Resolution(za.rcode(), answer, authority);
      }
      current = za.next();
    }
    // Alias loop or chain too long: what was collected, as real resolvers return it.
    return new Resolution(Rcode.SERVFAIL, answer, authority);
  }

  /** Follows referrals from the root; null when a referral leads to a zone not held here. */
  private ZoneAnswer authoritativeAnswer(Name qname, int qtype) {
    LabZone zone = zonesByApex.get(Name.root);
    for (int i = 0; i < MAX_REFERRALS; i++) {
      ZoneAnswer za = zone.lookup(qname, qtype);
      if (za.kind() != ZoneAnswer.Kind.REFERRAL) {
        return za;
      }
      zone = zonesByApex.get(za.next());
      if (zone == null) {
        return null;
      }
    }
    return null;
  }

  private static void addDistinct(List<RRset> into, List<RRset> rrsets) {
    for (RRset r : rrsets) {
      boolean present = into.stream()
          .anyMatch(o -> o.getName().equals(r.getName()) && o.getType() == r.getType());
      if (!present) {
        into.add(r);
      }
    }
  }
}
