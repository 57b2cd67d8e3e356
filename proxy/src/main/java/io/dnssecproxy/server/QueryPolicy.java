package io.dnssecproxy.server;

import java.util.OptionalInt;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Decides whether a parsed client message may reach the handler, or which error rcode the
 * front-end answers itself. (QR=1 messages never get here: they are dropped earlier.)
 */
final class QueryPolicy {

  private QueryPolicy() {}

  /** The rcode to answer with, or empty when the query goes to the handler. */
  static OptionalInt rejection(Message query) {
    if (query.getHeader().getOpcode() != Opcode.QUERY) {
      return OptionalInt.of(Rcode.NOTIMP);
    }
    if (query.getHeader().getCount(Section.QUESTION) != 1) {
      return OptionalInt.of(Rcode.FORMERR);
    }
    if (optCount(query) > 1) {
      return OptionalInt.of(Rcode.FORMERR); // RFC 6891 §6.1.1
    }
    OPTRecord opt = query.getOPT();
    if (opt != null && opt.getVersion() > 0) {
      return OptionalInt.of(Rcode.BADVERS); // RFC 6891 §6.1.3: we speak EDNS version 0 only
    }
    int type = query.getQuestion().getType();
    if (type == Type.AXFR || type == Type.IXFR) {
      return OptionalInt.of(Rcode.REFUSED); // a sidecar proxy is no zone-transfer source
    }
    if (type == Type.OPT) {
      return OptionalInt.of(Rcode.FORMERR); // OPT is a pseudo-RR, never a question
    }
    return OptionalInt.empty();
  }

  private static int optCount(Message query) {
    int count = 0;
    for (Record r : query.getSection(Section.ADDITIONAL)) {
      if (r.getType() == Type.OPT) {
        count++;
      }
    }
    return count;
  }
}
