package io.dnssecproxy.resolve;

import io.dnssecproxy.policy.AnswerBuilder;
import io.dnssecproxy.policy.Mode;
import io.dnssecproxy.server.Transport;
import io.dnssecproxy.validation.Verdict;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * The last touches the fast paths give a response rendered from a template, the same ones
 * {@link AnswerBuilder} gives a built message: header flags for this query, AD only for a secure
 * answer to a client that asked for it, and our OPT echoing the client's.
 */
final class DirectResponses {

  private DirectResponses() {}

  /**
   * What the normal path answers a plain EDNS query for (name, type, class), with or without DO,
   * from {@code data}: the source of a fast path's template. Without the OPT, which
   * {@link #finish} writes per query (or leaves out, for a client without EDNS).
   */
  static Message normalAnswer(AnswerBuilder answers, Name name, int type, int dclass, boolean dnssecOk,
      Message data, Verdict verdict, long ttlCap) {
    Message query = Message.newQuery(Record.newRecord(name, type, dclass));
    query.addRecord(new OPTRecord(AnswerBuilder.PAYLOAD_SIZE, 0, 0, dnssecOk ? ExtendedFlags.DO : 0), Section.ADDITIONAL);
    Message built = answers.build(query, data, verdict, Mode.ENFORCE, 0, ttlCap, false).message();
    built.removeRecord(built.getOPT(), Section.ADDITIONAL);
    return built;
  }

  /**
   * Finishes {@code out}, which has {@link PlainQuery#OPT_LENGTH} spare bytes at its end when the
   * query had EDNS; returns it, or null when it is too long for the client over UDP (the normal
   * path then truncates it).
   */
  static byte[] finish(byte[] out, PlainQuery q, boolean secure, Transport transport, int maxUdp) {
    byte[] w = q.wire();
    out[0] = w[0];
    out[1] = w[1];
    out[2] = (byte) (0x80 | (w[2] & 0x01));
    out[3] = (byte) (0x80 | (secure && q.wantsAd() ? 0x20 : 0) | (out[3] & 0x0f));
    if (q.edns()) {
      int o = out.length - PlainQuery.OPT_LENGTH;
      out[o + 2] = (byte) Type.OPT;
      out[o + 3] = (byte) (AnswerBuilder.PAYLOAD_SIZE >>> 8);
      out[o + 4] = (byte) AnswerBuilder.PAYLOAD_SIZE;
      out[o + 7] = (byte) (q.dnssecOk() ? 0x80 : 0);
      int ar = PlainQuery.u16(out, 10) + 1;
      out[10] = (byte) (ar >>> 8);
      out[11] = (byte) ar;
    }
    if (transport == Transport.UDP && out.length > (q.edns() ? Math.min(q.payload(), maxUdp) : 512)) {
      return null;
    }
    return out;
  }
}
