package io.dnssecproxy.server;

import java.util.List;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Last safety net on what the handler returned: the response must carry the client's ID and
 * have an OPT record exactly when the query had one (RFC 6891 §7: no OPT to a non-EDNS client).
 * The handler's message is never modified, since it may be shared (e.g. with a cache); a copy
 * is made when something must change.
 */
final class ClientResponseGuard {

  private ClientResponseGuard() {}

  static Message fit(Message query, Message response) {
    int id = query.getHeader().getID();
    OPTRecord clientOpt = query.getOPT();
    List<Record> opts = optRecords(response);
    boolean idWrong = response.getHeader().getID() != id;
    boolean optUnwanted = clientOpt == null && !opts.isEmpty();
    boolean optMissing = clientOpt != null && opts.isEmpty();
    if (!idWrong && !optUnwanted && !optMissing) {
      return response;
    }
    Message fixed = response.clone();
    fixed.getHeader().setID(id);
    if (optUnwanted) {
      for (Record opt : opts) {
        fixed.removeRecord(opt, Section.ADDITIONAL);
      }
    }
    if (optMissing) {
      fixed.addRecord(EdnsEcho.responseOpt(clientOpt, 0), Section.ADDITIONAL);
    }
    return fixed;
  }

  private static List<Record> optRecords(Message message) {
    return message.getSection(Section.ADDITIONAL).stream().filter(r -> r.getType() == Type.OPT).toList();
  }
}
