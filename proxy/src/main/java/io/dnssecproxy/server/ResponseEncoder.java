package io.dnssecproxy.server;

import java.util.ArrayList;
import java.util.List;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** Turns a response into the bytes sent to the client, within the size the transport allows. */
final class ResponseEncoder {

  /** Size a UDP client without EDNS can receive (RFC 1035 §4.2.1). */
  static final int CLASSIC_UDP_LIMIT = 512;
  /** Largest message a 2-byte TCP length prefix can carry. */
  static final int TCP_LIMIT = 65535;

  /** The bytes to send and whether they are a TC=1 stand-in for a larger response. */
  record Encoded(byte[] wire, boolean truncated) {}

  private ResponseEncoder() {}

  /**
   * The UDP size limit for a query: its EDNS payload size clamped to [512, cap], or 512 without
   * EDNS (or when the query did not even parse).
   */
  static int udpLimit(Message query, int cap) {
    OPTRecord opt = query == null ? null : query.getOPT();
    if (opt == null) {
      return CLASSIC_UDP_LIMIT;
    }
    return Math.max(CLASSIC_UDP_LIMIT, Math.min(opt.getPayloadSize(), cap));
  }

  /**
   * The whole response if it fits; else without its additional data (RFC 2181 §9: missing
   * additional data needs no TC); else header, question and OPT with TC=1 so the client
   * retries over TCP. We do not use dnsjava's toWire(max): it keeps whichever answer RRsets
   * fit, and a partial answer is worse than none for a DNSSEC client.
   */
  static Encoded encode(Message response, int limit) {
    byte[] full = response.toWire();
    if (full.length <= limit) {
      return new Encoded(full, false);
    }
    if (hasAdditionalData(response)) {
      Message trimmed = response.clone();
      removeAdditionalExceptOpt(trimmed);
      byte[] wire = trimmed.toWire();
      if (wire.length <= limit) {
        return new Encoded(wire, false);
      }
    }
    return new Encoded(truncated(response, limit), true);
  }

  /**
   * Like {@link #encode}, but a response dnsjava cannot serialise becomes SERVFAIL rather than
   * silence, so the client does not wait for its timeout.
   */
  static Encoded encodeOrServfail(QueryDispatcher.Reply reply, int limit) {
    try {
      return encode(reply.response(), limit);
    } catch (RuntimeException e) {
      if (reply.query() == null) {
        throw e;
      }
      return encode(ErrorResponses.servfail(reply.query()), limit);
    }
  }

  private static byte[] truncated(Message response, int limit) {
    Message tc = response.clone();
    tc.removeAllRecords(Section.ANSWER);
    tc.removeAllRecords(Section.AUTHORITY);
    removeAdditionalExceptOpt(tc);
    tc.getHeader().setFlag(Flags.TC);
    byte[] wire = tc.toWire();
    if (wire.length > limit) {
      // Only an absurd question or OPT gets here; the bare header still tells the client to retry.
      tc.removeAllRecords(Section.QUESTION);
      tc.removeAllRecords(Section.ADDITIONAL);
      wire = tc.toWire();
    }
    return wire;
  }

  private static boolean hasAdditionalData(Message response) {
    return response.getSection(Section.ADDITIONAL).stream().anyMatch(r -> r.getType() != Type.OPT);
  }

  private static void removeAdditionalExceptOpt(Message message) {
    // getSection is a view of the live list: copy it before removing.
    List<Record> additional = new ArrayList<>(message.getSection(Section.ADDITIONAL));
    for (Record r : additional) {
      if (r.getType() != Type.OPT) {
        message.removeRecord(r, Section.ADDITIONAL);
      }
    }
  }
}
