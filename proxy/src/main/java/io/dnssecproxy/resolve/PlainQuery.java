package io.dnssecproxy.resolve;

import io.dnssecproxy.cache.CacheKey;
import org.xbill.DNS.Type;

/**
 * A query read straight from its bytes for the fast paths: one question, an ordinary type,
 * at most a bare version-0 OPT. Anything else (a response, another opcode, TC, CD or Z set,
 * EDNS options, compression in the question) is not plain: {@link #parse} returns null and
 * the query goes through the full parser.
 *
 * @param wire the query as received
 * @param key the question, lower-cased
 * @param questionEnd the offset just past the question's class
 * @param edns whether the query had an OPT record
 * @param dnssecOk the OPT's DO bit
 * @param payload the UDP payload size the client accepts (512 without EDNS)
 */
record PlainQuery(byte[] wire, CacheKey key, int questionEnd, boolean edns, boolean dnssecOk, int payload) {

  static final int HEADER = 12;
  static final int OPT_LENGTH = 11;

  static PlainQuery parse(byte[] q) {
    if (q.length < HEADER + 5 || (q[2] & 0xfa) != 0 || (q[3] & 0x50) != 0
        || u16(q, 4) != 1 || u16(q, 6) != 0 || u16(q, 8) != 0 || u16(q, 10) > 1) {
      return null;
    }
    int p = HEADER;
    int nameLength = 0;
    while (p < q.length && q[p] != 0) {
      int len = q[p] & 0xff;
      if (len > 63) {
        return null; // compression or an extended label type in a question: leave it to the parser
      }
      nameLength += len + 1;
      p += len + 1;
    }
    if (p + 5 > q.length || nameLength > 254) {
      return null;
    }
    p++;
    int qtype = u16(q, p);
    int qclass = u16(q, p + 2);
    p += 4;
    if (qtype == Type.AXFR || qtype == Type.IXFR || qtype == Type.OPT || qtype == Type.ANY) {
      return null;
    }
    boolean edns = u16(q, 10) == 1;
    boolean dnssecOk = false;
    int payload = 512;
    if (edns) {
      if (p + OPT_LENGTH != q.length || q[p] != 0 || u16(q, p + 1) != Type.OPT || q[p + 6] != 0 || u16(q, p + 9) != 0) {
        return null; // not a bare version-0 OPT: options, BADVERS and oddities go the long way
      }
      payload = Math.max(512, u16(q, p + 3));
      dnssecOk = (q[p + 7] & 0x80) != 0;
    } else if (p != q.length) {
      return null;
    }
    return new PlainQuery(q, CacheKey.fromQuestionWire(q, HEADER, nameLength + 1, qtype, qclass), p, edns, dnssecOk, payload);
  }

  int qtype() {
    return key.type();
  }

  /** Whether the client asked for the AD bit (by DO, or by AD in the query, RFC 6840 section 5.7). */
  boolean wantsAd() {
    return dnssecOk || (wire[3] & 0x20) != 0;
  }

  static int u16(byte[] w, int p) {
    return ((w[p] & 0xff) << 8) | (w[p + 1] & 0xff);
  }
}
