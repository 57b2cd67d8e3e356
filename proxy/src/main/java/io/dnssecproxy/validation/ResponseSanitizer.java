package io.dnssecproxy.validation;

import org.xbill.DNS.Flags;
import org.xbill.DNS.Header;
import org.xbill.DNS.Message;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;

/**
 * Trims a secure response to what was verified: an answer carries AD, which vouches for the
 * authority section too, so unverified authority RRsets (typically unsigned NS) and the
 * additional section (glue, never signed) are removed rather than passed on under that flag.
 */
final class ResponseSanitizer {

  private ResponseSanitizer() {}

  static Message keepVerified(Message response, ValidationContext ctx) {
    Message out = new Message(response.getHeader().getID());
    Header from = response.getHeader();
    Header to = out.getHeader();
    for (int flag : new int[] {Flags.QR, Flags.AA, Flags.TC, Flags.RD, Flags.RA, Flags.AD, Flags.CD}) {
      if (from.getFlag(flag)) {
        to.setFlag(flag);
      }
    }
    to.setOpcode(from.getOpcode());
    to.setRcode(ctx.correctedRcode() >= 0 ? ctx.correctedRcode() : from.getRcode());
    Record q = response.getQuestion();
    if (q != null) {
      out.addRecord(q, Section.QUESTION);
    }
    for (Record r : response.getSection(Section.ANSWER)) {
      out.addRecord(r, Section.ANSWER);
    }
    for (RRset s : response.getSectionRRsets(Section.AUTHORITY)) {
      if (ctx.isVerifiedAuthority(s)) {
        s.rrs(false).forEach(r -> out.addRecord(r, Section.AUTHORITY));
        s.sigs().forEach(r -> out.addRecord(r, Section.AUTHORITY));
      }
    }
    if (response.getOPT() != null) {
      out.addRecord(response.getOPT(), Section.ADDITIONAL);
    }
    return out;
  }
}
