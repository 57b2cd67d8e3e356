package io.dnssecproxy.upstream;

import java.security.SecureRandom;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;

/**
 * Builds the query sent upstream: RD=1 (we want recursion), CD=1 (the upstream must not hide
 * data it thinks bogus: we validate ourselves), EDNS0 with payload 1232 and DO=1 (send the
 * signatures), and an ID from a CSPRNG so an off-path attacker cannot guess it.
 */
final class UpstreamQueryFactory {

  /** DNS Flag Day 2020 size: fits common MTUs without IP fragmentation. */
  static final int EDNS_UDP_PAYLOAD = 1232;

  private final SecureRandom random;

  UpstreamQueryFactory(SecureRandom random) {
    this.random = random;
  }

  Message build(Question question) {
    Message query = new Message(random.nextInt(0x10000));
    query.getHeader().setFlag(Flags.RD);
    query.getHeader().setFlag(Flags.CD);
    query.addRecord(Record.newRecord(question.name(), question.type(), question.dclass()), Section.QUESTION);
    query.addRecord(new OPTRecord(EDNS_UDP_PAYLOAD, 0, 0, ExtendedFlags.DO), Section.ADDITIONAL);
    return query;
  }
}
