package io.dnssecproxy.resolve;

import io.dnssecproxy.cache.TtlPolicy;
import io.dnssecproxy.observe.ProxyMetrics;
import io.dnssecproxy.policy.Action;
import io.dnssecproxy.policy.AnswerBuilder;
import io.dnssecproxy.policy.Mode;
import io.dnssecproxy.policy.ModeSwitch;
import io.dnssecproxy.server.Transport;
import io.dnssecproxy.validation.AggressiveNsec;
import io.dnssecproxy.validation.SecurityStatus;
import io.dnssecproxy.validation.Validation;
import io.dnssecproxy.validation.Validator;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.xbill.DNS.DNSOutput;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;

/**
 * Answers a plain query that held NSEC/NSEC3 records already prove (RFC 8198: a wildcard
 * expansion, NXDOMAIN or NODATA) straight to bytes, as {@link CacheHitFastPath} does for cached
 * answers. Such names are mostly new ones (random labels under a wildcard, search-list misses),
 * so the cache cannot help, yet the response differs from one name to the next only in its
 * question and in the owner of the expanded records. So the response for each proof is built
 * once by the normal builder and kept as a template in which those owners point at the question
 * (offset 12) and every other name is written in full; a query then costs the proof lookup, a
 * copy and the header patches. Templates are rebuilt every second of validation time, which
 * keeps their TTLs exactly what the normal path gives (it caps them by the signatures'
 * remaining validity). One event loop calls it; the template map is synchronized all the same.
 */
final class ProvenDenialFastPath {

  private static final int MAX_TEMPLATES = 64;

  /** A proof for one kind of question; the proof's RRsets are compared by identity (held objects). */
  private record Shape(AggressiveNsec.Proof proof, int qtype, int dclass, boolean dnssecOk) {

    @Override
    public boolean equals(Object o) {
      if (!(o instanceof Shape s) || s.qtype != qtype || s.dclass != dclass || s.dnssecOk != dnssecOk
          || s.proof.rcode() != proof.rcode() || s.proof.wildcard() != proof.wildcard() || s.proof.soa() != proof.soa()) {
        return false;
      }
      List<?> a = proof.denials();
      List<?> b = s.proof.denials();
      if (a.size() != b.size()) {
        return false;
      }
      for (int i = 0; i < a.size(); i++) {
        if (a.get(i) != b.get(i)) {
          return false;
        }
      }
      return true;
    }

    @Override
    public int hashCode() {
      int h = System.identityHashCode(proof.wildcard()) * 31 + System.identityHashCode(proof.soa());
      for (Object d : proof.denials()) {
        h = h * 31 + System.identityHashCode(d);
      }
      return ((h * 31 + qtype) * 31 + dclass) * 2 + (dnssecOk ? 1 : 0);
    }
  }

  /** A response without its question: the 12 header bytes, and all records after the question. */
  private record Template(byte[] header, byte[] records, long validationSecond) {}

  private final Validator validator;
  private final ModeSwitch mode;
  private final TtlPolicy ttls;
  private final ProxyMetrics metrics;
  private final Clock validationClock;
  private final AnswerBuilder answers = new AnswerBuilder();
  private final Map<Shape, Template> templates = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<Shape, Template> eldest) {
      return size() > MAX_TEMPLATES;
    }
  };

  ProvenDenialFastPath(Validator validator, ModeSwitch mode, TtlPolicy ttls, ProxyMetrics metrics, Clock validationClock) {
    this.validator = validator;
    this.mode = mode;
    this.ttls = ttls;
    this.metrics = metrics;
    this.validationClock = validationClock;
  }

  /**
   * The response bytes for {@code q}, or null when held records prove nothing for it or the
   * normal path must answer (a zone known to be hostile, a UDP response that would need TC).
   */
  byte[] answer(PlainQuery q, Transport transport, int maxUdp) {
    Name qname = q.key().name();
    AggressiveNsec.Proof proof = validator.provenDenial(qname, q.qtype(), q.key().dclass(), Duration.ZERO);
    if (proof == null || (mode.get() == Mode.ENFORCE && validator.knownHostile(qname, q.qtype()) != null)) {
      return null;
    }
    Template t = template(new Shape(proof, q.qtype(), q.key().dclass(), q.dnssecOk()), qname);
    int question = q.questionEnd() - PlainQuery.HEADER;
    byte[] out = new byte[PlainQuery.HEADER + question + t.records().length + (q.edns() ? PlainQuery.OPT_LENGTH : 0)];
    System.arraycopy(t.header(), 0, out, 0, PlainQuery.HEADER);
    System.arraycopy(q.wire(), PlainQuery.HEADER, out, PlainQuery.HEADER, question);
    System.arraycopy(t.records(), 0, out, PlainQuery.HEADER + question, t.records().length);
    if (DirectResponses.finish(out, q, true, transport, maxUdp) == null) {
      return null; // needs truncation: the normal path knows how
    }
    metrics.cacheMiss();
    metrics.synthesized(proof.kind());
    metrics.verdict(SecurityStatus.SECURE.tag());
    metrics.action(Action.ANSWERED.tag());
    metrics.query(transport.tag(), q.qtype(), out[3] & 0x0f);
    return out;
  }

  private synchronized Template template(Shape shape, Name qname) {
    long second = validationClock.instant().getEpochSecond();
    Template t = templates.get(shape);
    if (t == null || t.validationSecond() != second) {
      t = build(shape, qname, second);
      templates.put(shape, t);
    }
    return t;
  }

  /** The response the normal path gives for this proof, with the question left out. */
  private Template build(Shape shape, Name qname, long second) {
    Message data = shape.proof().toMessage(qname, shape.qtype(), shape.dclass());
    Validation v = Validator.synthesized(data);
    long ttl = ttls.ttlFor(v, validationClock.instant());
    Message built = DirectResponses.normalAnswer(answers, qname, shape.qtype(), shape.dclass(), shape.dnssecOk(), data, v.verdict(), ttl);
    DNSOutput records = new DNSOutput();
    for (int section : new int[] {Section.ANSWER, Section.AUTHORITY, Section.ADDITIONAL}) {
      for (Record r : built.getSection(section)) {
        byte[] full = r.toWire(section); // owner and RDATA names uncompressed
        if (section == Section.ANSWER && r.getName().equals(qname)) {
          int owner = r.getName().length();
          records.writeU16(0xC000 | PlainQuery.HEADER);
          records.writeByteArray(full, owner, full.length - owner);
        } else {
          records.writeByteArray(full);
        }
      }
    }
    return new Template(built.getHeader().toWire(), records.toByteArray(), second);
  }
}
