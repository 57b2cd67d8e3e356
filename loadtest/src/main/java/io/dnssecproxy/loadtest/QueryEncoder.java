package io.dnssecproxy.loadtest;

import java.util.List;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;

/**
 * Turns query specs into wire-format templates once, before a run: the hot loop then only copies
 * a template and writes the 16-bit ID into its first two bytes.
 */
public final class QueryEncoder {

  private QueryEncoder() {}

  public static byte[][] encodeAll(List<QuerySpec> specs, QueryFlags flags) {
    byte[][] out = new byte[specs.size()][];
    for (int i = 0; i < out.length; i++) {
      out[i] = encode(specs.get(i), flags);
    }
    return out;
  }

  /** The query with ID 0. */
  public static byte[] encode(QuerySpec spec, QueryFlags flags) {
    Message m = new Message(0);
    if (flags.recursionDesired()) {
      m.getHeader().setFlag(Flags.RD);
    }
    if (flags.checkingDisabled()) {
      m.getHeader().setFlag(Flags.CD);
    }
    m.addRecord(Record.newRecord(spec.name(), spec.type(), DClass.IN), Section.QUESTION);
    if (flags.ednsPayload() > 0) {
      m.addRecord(new OPTRecord(flags.ednsPayload(), 0, 0, flags.dnssecOk() ? ExtendedFlags.DO : 0), Section.ADDITIONAL);
    }
    return m.toWire();
  }
}
