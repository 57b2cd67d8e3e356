package io.dnssecproxy.policy;

import io.dnssecproxy.validation.Ede;
import io.dnssecproxy.validation.SecurityStatus;
import io.dnssecproxy.validation.Verdict;
import java.util.ArrayList;
import java.util.List;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.ExtendedErrorCodeOption;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Header;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.RecordTtl;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Turns a verdict and the upstream data into the response an app gets: SERVFAIL + EDE for bogus
 * data in enforce mode, otherwise the data with AD set only when it is secure and the client
 * asked for DNSSEC (DO or AD), DNSSEC records stripped for clients that did not set DO, TTLs
 * counted down, and our own EDNS OPT echoing the client's.
 */
public final class AnswerBuilder {

  /** The EDNS payload size we advertise (the DNS flag day 2020 value). */
  public static final int PAYLOAD_SIZE = 1232;
  private static final int MAX_EDE_TEXT = 200;

  /** A client response and what was done to produce it. */
  public record Built(Message message, Action action) {}

  /**
   * @param query the client's query
   * @param data the upstream response the verdict is about
   * @param age seconds since the data was received (TTLs are lowered by this much)
   * @param ttlCap the most any record TTL may be (the entry's remaining lifetime, or the stale TTL)
   * @param stale true when this is a stale answer served because upstreams failed
   */
  public Built build(Message query, Message data, Verdict verdict, Mode mode, long age, long ttlCap, boolean stale) {
    boolean cd = query.getHeader().getFlag(Flags.CD);
    // Bogus data always carries a code, passed through or blocked; 6 when the validator gave none.
    int edeCode = verdict.isBogus() && verdict.ede() == Ede.NONE ? Ede.DNSSEC_BOGUS : verdict.ede();
    if (verdict.status() == SecurityStatus.BOGUS && !cd && mode == Mode.ENFORCE) {
      return new Built(servfail(query, edeCode, verdict.reasonText()), Action.BLOCKED);
    }
    Message out = header(query, data.getRcode());
    boolean dnssecOk = dnssecOk(query);
    int qtype = query.getQuestion().getType();
    for (int section : new int[] {Section.ANSWER, Section.AUTHORITY, Section.ADDITIONAL}) {
      for (Record r : data.getSection(section)) {
        if (r.getType() == Type.OPT || (!dnssecOk && isDnssecRecord(r, qtype))) {
          continue;
        }
        // A stale entry has counted down to nothing; RFC 8767 section 4 serves it with the
        // stale-answer TTL (the cap) instead, or the record's own TTL when that is smaller.
        long ttl = Math.max(0, Math.min(stale ? r.getTTL() : r.getTTL() - age, ttlCap));
        out.addRecord(RecordTtl.withTtl(r, ttl), section);
      }
    }
    if (verdict.isSecure() && (dnssecOk || query.getHeader().getFlag(Flags.AD))) {
      out.getHeader().setFlag(Flags.AD);
    }
    List<EDNSOption> ede = new ArrayList<>();
    if (stale) {
      ede.add(new ExtendedErrorCodeOption(Ede.STALE_ANSWER, "answer from cache: upstream unreachable"));
    }
    if (edeCode != Ede.NONE && !verdict.isSecure()) {
      ede.add(new ExtendedErrorCodeOption(edeCode, truncate(verdict.reasonText())));
    }
    addOpt(query, out, ede);
    Action action = stale ? Action.STALE : verdict.isBogus() ? Action.PASSED : Action.ANSWERED;
    return new Built(out, action);
  }

  /** SERVFAIL carrying an Extended DNS Error (when the client speaks EDNS). */
  public Message servfail(Message query, int ede, String text) {
    Message out = header(query, Rcode.SERVFAIL);
    addOpt(query, out, List.of(new ExtendedErrorCodeOption(ede, truncate(text))));
    return out;
  }

  private static Message header(Message query, int rcode) {
    Message out = new Message(query.getHeader().getID());
    Header h = out.getHeader();
    h.setFlag(Flags.QR);
    h.setFlag(Flags.RA);
    h.setOpcode(Opcode.QUERY);
    if (query.getHeader().getFlag(Flags.RD)) {
      h.setFlag(Flags.RD);
    }
    if (query.getHeader().getFlag(Flags.CD)) {
      h.setFlag(Flags.CD);
    }
    h.setRcode(rcode);
    out.addRecord(query.getQuestion(), Section.QUESTION);
    return out;
  }

  /** Echoes EDNS only to clients that used it (RFC 6891), with DO mirrored as RFC 3225 asks. */
  private static void addOpt(Message query, Message out, List<EDNSOption> options) {
    OPTRecord clientOpt = query.getOPT();
    if (clientOpt == null) {
      return;
    }
    int flags = (clientOpt.getFlags() & ExtendedFlags.DO) != 0 ? ExtendedFlags.DO : 0;
    out.addRecord(new OPTRecord(PAYLOAD_SIZE, 0, 0, flags, options), Section.ADDITIONAL);
  }

  public static boolean dnssecOk(Message query) {
    OPTRecord opt = query.getOPT();
    return opt != null && (opt.getFlags() & ExtendedFlags.DO) != 0;
  }

  /** RRSIG, NSEC and NSEC3 are removed for non-DO clients unless they asked for that type. */
  private static boolean isDnssecRecord(Record r, int qtype) {
    int t = r.getType();
    return (t == Type.RRSIG || t == Type.NSEC || t == Type.NSEC3) && t != qtype;
  }

  private static String truncate(String s) {
    return s.length() <= MAX_EDE_TEXT ? s : s.substring(0, MAX_EDE_TEXT - 3) + "...";
  }
}
