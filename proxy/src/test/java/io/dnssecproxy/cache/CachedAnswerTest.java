package io.dnssecproxy.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dnssecproxy.validation.Verdict;
import java.net.InetAddress;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

class CachedAnswerTest {

  private static final Name WWW = Name.fromConstantString("www.example.");
  private static final Instant T0 = Instant.parse("2026-06-01T00:00:00Z");

  private static Message answer() throws Exception {
    Message m = new Message();
    m.getHeader().setRcode(Rcode.NOERROR);
    m.addRecord(Record.newRecord(WWW, Type.A, DClass.IN), Section.QUESTION);
    m.addRecord(new ARecord(WWW, DClass.IN, 300, InetAddress.getByName("192.0.2.1")), Section.ANSWER);
    m.addRecord(new RRSIGRecord(WWW, DClass.IN, 300, Type.A, DNSSEC.Algorithm.ECDSAP256SHA256, 300,
        T0.plusSeconds(86400), T0.minusSeconds(86400), 12345, Name.fromConstantString("example."), new byte[64]), Section.ANSWER);
    return m;
  }

  @Test
  void aCompactedAnswerGivesBackTheSameDataFromItsTemplate() throws Exception {
    Message original = answer();
    CachedAnswer full = new CachedAnswer(original, Verdict.secure(), T0, 300)
        .withTemplates(WireTemplate.of(original.toWire()), WireTemplate.of(original.toWire()));

    CachedAnswer kept = full.compact();

    assertNull(kept.message(), "the parsed message is not kept");
    Message back = kept.response();
    assertEquals(original.getRcode(), back.getRcode());
    for (int section : new int[] {Section.QUESTION, Section.ANSWER, Section.AUTHORITY, Section.ADDITIONAL}) {
      assertEquals(original.getSection(section), back.getSection(section), "section " + section);
    }
    assertTrue(kept.estimatedBytes() < full.estimatedBytes(), kept.estimatedBytes() + " vs " + full.estimatedBytes());
  }

  @Test
  void anAnswerWithoutTemplatesKeepsItsMessage() throws Exception {
    CachedAnswer bogus = new CachedAnswer(answer(), Verdict.bogus(6, "bad"), T0, 60);

    assertSame(bogus, bogus.compact());
    assertEquals(WWW, bogus.response().getQuestion().getName());
  }

  @Test
  void aBuiltMessageWithoutAKnownWireSizeIsWeighedByItsRecords() throws Exception {
    Message built = answer(); // built here, as a synthesized answer is: dnsjava knows no wire size
    CachedAnswer bare = new CachedAnswer(null, Verdict.secure(), T0, 60, null, null);
    long recordsWeight = new CachedAnswer(built, Verdict.secure(), T0, 60).estimatedBytes() - bare.estimatedBytes();
    Message parsed = new Message(built.toWire());
    CachedAnswer fromParsed = new CachedAnswer(parsed, Verdict.secure(), T0, 60);

    assertTrue(recordsWeight >= 3 * 200, "three records weigh something: " + recordsWeight);
    assertEquals(4L * parsed.numBytes(), fromParsed.estimatedBytes() - bare.estimatedBytes(), "a parsed one by its wire size");
  }

  @Test
  void ageAndFreshnessRoundDownToWholeSecondsAsADurationWould() {
    CachedAnswer a = new CachedAnswer(new Message(), Verdict.secure(), T0.plusMillis(700), 300);
    for (long ms : new long[] {-1300, -700, 0, 699, 700, 701, 1699, 1700, 299_699, 299_700, 300_700, 400_000}) {
      Instant now = T0.plusMillis(ms);
      long expected = java.time.Duration.between(a.storedAt(), now).getSeconds();
      assertEquals(expected, a.ageSeconds(now), "age at +" + ms + " ms");
      assertEquals(300 - expected, a.remaining(now), "remaining at +" + ms + " ms");
    }
    assertEquals(0, a.ageSeconds(T0.plusMillis(1699)));
    assertEquals(1, a.ageSeconds(T0.plusMillis(1700)));
    assertEquals(-1, a.ageSeconds(T0.plusMillis(699)));
  }
}
