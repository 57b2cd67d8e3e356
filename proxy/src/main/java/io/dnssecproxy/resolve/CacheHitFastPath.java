package io.dnssecproxy.resolve;

import io.dnssecproxy.cache.CacheKey;
import io.dnssecproxy.cache.CachedAnswer;
import io.dnssecproxy.cache.ResponseCache;
import io.dnssecproxy.cache.WireTemplate;
import io.dnssecproxy.observe.ProxyMetrics;
import io.dnssecproxy.policy.Action;
import io.dnssecproxy.policy.AnswerBuilder;
import io.dnssecproxy.policy.Mode;
import io.dnssecproxy.server.Transport;
import io.dnssecproxy.validation.Ede;
import java.time.Clock;
import java.time.Instant;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Answers the commonest query there is, a plain question whose validated answer is cached,
 * straight from bytes: a few header checks instead of a full parse, a copy of the answer's
 * pre-encoded template, and patches. Anything unusual (CD, EDNS options, bogus or EDE-carrying
 * answers, stale entries, a UDP answer that would need TC) returns null and takes the normal
 * path through {@link QueryPipeline}, so both paths give the same bytes.
 */
final class CacheHitFastPath {

  private static final int HEADER = 12;
  private static final int OPT_LENGTH = 11;

  private final ResponseCache cache;
  private final ProxyMetrics metrics;
  private final Clock wallClock;
  private final AnswerBuilder answers = new AnswerBuilder();

  CacheHitFastPath(ResponseCache cache, ProxyMetrics metrics, Clock wallClock) {
    this.cache = cache;
    this.metrics = metrics;
    this.wallClock = wallClock;
  }

  /** Pre-encodes an answer about to be cached, for DO and non-DO clients; unchanged when it must not be fast-pathed. */
  CachedAnswer withTemplates(CacheKey key, CachedAnswer a) {
    if (a.verdict().isBogus() || a.verdict().ede() != Ede.NONE || a.ttlSeconds() <= 0) {
      return a;
    }
    return a.withTemplates(template(key, a, true), template(key, a, false));
  }

  private WireTemplate template(CacheKey key, CachedAnswer a, boolean dnssecOk) {
    Message query = Message.newQuery(Record.newRecord(key.name(), key.type(), key.dclass()));
    query.addRecord(new OPTRecord(AnswerBuilder.PAYLOAD_SIZE, 0, 0, dnssecOk ? ExtendedFlags.DO : 0), Section.ADDITIONAL);
    Message built = answers.build(query, a.response(), a.verdict(), Mode.ENFORCE, 0, a.ttlSeconds(), false).message();
    built.removeRecord(built.getOPT(), Section.ADDITIONAL);
    return WireTemplate.of(built.toWire());
  }

  /**
   * The response bytes for {@code q}, or null when the normal path must answer it.
   *
   * @param maxUdp the largest UDP response the front-end sends (ignored for TCP)
   */
  byte[] answer(byte[] q, Transport transport, int maxUdp) {
    if (q.length < HEADER + 5 || (q[2] & 0xfa) != 0 || (q[3] & 0x50) != 0
        || u16(q, 4) != 1 || u16(q, 6) != 0 || u16(q, 8) != 0 || u16(q, 10) > 1) {
      return null; // a response, another opcode, TC, CD or Z set, or not one plain question
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
    CacheKey key = CacheKey.fromQuestionWire(q, HEADER, nameLength + 1, qtype, qclass);
    Instant now = wallClock.instant();
    CachedAnswer a = cache.get(key, now);
    WireTemplate t = a == null ? null : dnssecOk ? a.withDnssec() : a.withoutDnssec();
    if (t == null) {
      return null;
    }
    long age = Math.max(0, a.ageSeconds(now));
    byte[] out = t.render(q, age, edns ? OPT_LENGTH : 0);
    boolean ad = a.verdict().isSecure() && (dnssecOk || (q[3] & 0x20) != 0);
    out[2] = (byte) (0x80 | (q[2] & 0x01));
    out[3] = (byte) (0x80 | (ad ? 0x20 : 0) | (out[3] & 0x0f));
    if (edns) {
      int o = out.length - OPT_LENGTH;
      out[o + 2] = (byte) Type.OPT;
      out[o + 3] = (byte) (AnswerBuilder.PAYLOAD_SIZE >>> 8);
      out[o + 4] = (byte) AnswerBuilder.PAYLOAD_SIZE;
      out[o + 7] = (byte) (dnssecOk ? 0x80 : 0);
      int ar = u16(out, 10) + 1;
      out[10] = (byte) (ar >>> 8);
      out[11] = (byte) ar;
    }
    if (transport == Transport.UDP && out.length > (edns ? Math.min(payload, maxUdp) : 512)) {
      return null; // needs truncation: the normal path knows how
    }
    metrics.cacheHit();
    metrics.action(Action.ANSWERED.tag());
    metrics.query(transport.tag(), qtype, out[3] & 0x0f);
    return out;
  }

  private static int u16(byte[] w, int p) {
    return ((w[p] & 0xff) << 8) | (w[p + 1] & 0xff);
  }
}
