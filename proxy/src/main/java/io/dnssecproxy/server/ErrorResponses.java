package io.dnssecproxy.server;

import org.xbill.DNS.Flags;
import org.xbill.DNS.Header;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;

/** Builds the answers the front-end gives on its own (FORMERR, NOTIMP, REFUSED, BADVERS, SERVFAIL). */
final class ErrorResponses {

  static final int HEADER_LENGTH = 12;

  private ErrorResponses() {}

  /** An error answer to a query that parsed. The question is copied when there is exactly one. */
  static Message forQuery(Message query, int rcode) {
    Header q = query.getHeader();
    Message response = newResponse(q.getID(), q.getOpcode(), q.getFlag(Flags.RD), q.getFlag(Flags.CD));
    if (q.getCount(Section.QUESTION) == 1 && query.getQuestion() != null) {
      response.addRecord(query.getQuestion(), Section.QUESTION);
    }
    // Rcodes above 15 keep their upper bits in the OPT record (RFC 6891 §6.1.3).
    response.getHeader().setRcode(rcode & 0xF);
    OPTRecord clientOpt = query.getOPT();
    if (clientOpt != null) {
      response.addRecord(EdnsEcho.responseOpt(clientOpt, rcode >>> 4), Section.ADDITIONAL);
    }
    return response;
  }

  /**
   * FORMERR for bytes that did not parse as a message but carry a full header: the ID is
   * echoed so the client can match it, and the question is copied if it alone parses.
   */
  static Message formerrFromRaw(byte[] wire) {
    int id = ((wire[0] & 0xFF) << 8) | (wire[1] & 0xFF);
    int opcode = (wire[2] >>> 3) & 0xF;
    boolean rd = (wire[2] & 0x01) != 0;
    boolean cd = (wire[3] & 0x10) != 0;
    Message response = newResponse(id, opcode, rd, cd);
    response.getHeader().setRcode(Rcode.FORMERR);
    Record question = firstQuestionOrNull(wire);
    if (question != null) {
      response.addRecord(question, Section.QUESTION);
    }
    return response;
  }

  /** SERVFAIL for a query whose handler failed. */
  static Message servfail(Message query) {
    return forQuery(query, Rcode.SERVFAIL);
  }

  private static Message newResponse(int id, int opcode, boolean rd, boolean cd) {
    Message response = new Message(id);
    Header h = response.getHeader();
    h.setFlag(Flags.QR);
    h.setFlag(Flags.RA); // this proxy offers recursion to its clients
    h.setOpcode(opcode);
    if (rd) {
      h.setFlag(Flags.RD);
    }
    if (cd) {
      h.setFlag(Flags.CD);
    }
    return response;
  }

  /**
   * Re-parses the bytes with the answer, authority and additional counts zeroed, so a broken
   * later section does not hide a good question. Null when that still fails.
   */
  private static Record firstQuestionOrNull(byte[] wire) {
    int qdcount = ((wire[4] & 0xFF) << 8) | (wire[5] & 0xFF);
    if (qdcount != 1) {
      return null;
    }
    byte[] questionOnly = wire.clone();
    for (int i = 6; i < HEADER_LENGTH; i++) {
      questionOnly[i] = 0;
    }
    try {
      return new Message(questionOnly).getQuestion();
    } catch (Exception e) {
      return null;
    }
  }
}
