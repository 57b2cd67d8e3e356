package io.dnssecproxy.lab;

import java.util.List;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;

/**
 * What one authoritative zone says about a question: the sections of its response, plus what a
 * resolver needs to carry on (the alias target to chase, the child zone of a referral).
 *
 * @param kind the shape of the answer
 * @param rcode NOERROR or NXDOMAIN (REFUSED when not authoritative)
 * @param answer answer RRsets, each with its RRSIGs
 * @param authority authority RRsets (SOA, NS, DS, NSEC, NSEC3), each with its RRSIGs
 * @param additional glue
 * @param next the CNAME/DNAME target for {@link Kind#CNAME}/{@link Kind#DNAME}, the delegated
 *     child for {@link Kind#REFERRAL}, else null
 * @param wildcard whether the answer was synthesized from a wildcard
 */
public record ZoneAnswer(
    Kind kind,
    int rcode,
    List<RRset> answer,
    List<RRset> authority,
    List<RRset> additional,
    Name next,
    boolean wildcard) {

  /** The possible shapes of an authoritative answer. */
  public enum Kind {
    ANSWER,
    CNAME,
    DNAME,
    REFERRAL,
    NODATA,
    NXDOMAIN,
    NOT_AUTHORITATIVE
  }

  public ZoneAnswer {
    answer = List.copyOf(answer);
    authority = List.copyOf(authority);
    additional = List.copyOf(additional);
  }

  /** An authoritative response to {@code query} (AA set except on referrals). */
  public Message toMessage(Message query) {
    Message response = new Message(query.getHeader().getID());
    response.getHeader().setFlag(Flags.QR);
    if (query.getHeader().getFlag(Flags.RD)) {
      response.getHeader().setFlag(Flags.RD);
    }
    if (kind != Kind.REFERRAL && kind != Kind.NOT_AUTHORITATIVE) {
      response.getHeader().setFlag(Flags.AA);
    }
    response.getHeader().setRcode(rcode);
    response.addRecord(query.getQuestion(), Section.QUESTION);
    answer.forEach(r -> addRRset(response, r, Section.ANSWER));
    authority.forEach(r -> addRRset(response, r, Section.AUTHORITY));
    additional.forEach(r -> addRRset(response, r, Section.ADDITIONAL));
    return response;
  }

  /** Adds the RRset's records and then its signatures, unrotated. */
  public static void addRRset(Message message, RRset rrset, int section) {
    for (Record r : rrset.rrs(false)) {
      message.addRecord(r, section);
    }
    for (Record sig : rrset.sigs()) {
      message.addRecord(sig, section);
    }
  }
}
