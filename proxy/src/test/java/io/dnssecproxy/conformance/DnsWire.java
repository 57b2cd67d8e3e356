package io.dnssecproxy.conformance;

import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Section;

/** Small DNS message rules shared by the test servers and the test client. */
final class DnsWire {

  /** The UDP size a client without EDNS can receive (RFC 1035). */
  static final int CLASSIC_UDP_SIZE = 512;

  /** EDNS payload size the harness advertises for itself. */
  static final int HARNESS_EDNS_SIZE = 1232;

  private DnsWire() {}

  /** Whether the message carries EDNS with the DO bit. */
  static boolean hasDo(Message m) {
    OPTRecord opt = m.getOPT();
    return opt != null && (opt.getFlags() & ExtendedFlags.DO) != 0;
  }

  /** The largest UDP response the sender of this query accepts. */
  static int maxUdpResponseSize(Message query) {
    OPTRecord opt = query.getOPT();
    return opt == null ? CLASSIC_UDP_SIZE : Math.max(CLASSIC_UDP_SIZE, opt.getPayloadSize());
  }

  /**
   * A response skeleton: same ID, opcode and question as the query, QR set, RD and CD copied,
   * and an OPT record (with DO echoed) when the query had EDNS.
   */
  static Message responseSkeleton(Message query) {
    Message response = new Message(query.getHeader().getID());
    response.getHeader().setOpcode(query.getHeader().getOpcode());
    response.getHeader().setFlag(Flags.QR);
    for (int flag : new int[] {Flags.RD, Flags.CD}) {
      if (query.getHeader().getFlag(flag)) {
        response.getHeader().setFlag(flag);
      }
    }
    if (query.getQuestion() != null) {
      response.addRecord(query.getQuestion(), Section.QUESTION);
    }
    if (query.getOPT() != null) {
      response.addRecord(new OPTRecord(HARNESS_EDNS_SIZE, 0, 0,
          hasDo(query) ? ExtendedFlags.DO : 0), Section.ADDITIONAL);
    }
    return response;
  }

  /**
   * The wire form to send over UDP: the response itself when it fits the client's limit,
   * otherwise header and question only with TC set, so the client retries over TCP.
   */
  static byte[] toUdpWire(Message response, Message query) {
    byte[] wire = response.toWire();
    if (wire.length <= maxUdpResponseSize(query)) {
      return wire;
    }
    Message truncated = new Message(response.getHeader().getID());
    for (int flag = 0; flag < 16; flag++) {
      if (Flags.isFlag(flag) && response.getHeader().getFlag(flag)) {
        truncated.getHeader().setFlag(flag);
      }
    }
    truncated.getHeader().setOpcode(response.getHeader().getOpcode());
    truncated.getHeader().setRcode(response.getRcode() & 0xF);
    truncated.getHeader().setFlag(Flags.TC);
    if (response.getQuestion() != null) {
      truncated.addRecord(response.getQuestion(), Section.QUESTION);
    }
    if (response.getOPT() != null) {
      truncated.addRecord(response.getOPT(), Section.ADDITIONAL);
    }
    return truncated.toWire();
  }
}
