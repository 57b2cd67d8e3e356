package io.dnssecproxy.loadtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Type;

class QueryEncoderTest {

  private static final QuerySpec SPEC = spec();

  private static QuerySpec spec() {
    try {
      return new QuerySpec(Name.fromString("www.ecdsa.test."), Type.AAAA);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static Message encode(QueryFlags f) throws Exception {
    return new Message(QueryEncoder.encode(SPEC, f));
  }

  @Test
  void doFlagAsksForDnssecInTheOptRecord() throws Exception {
    Message m = encode(new QueryFlags(true, true, false, 1232));
    OPTRecord opt = m.getOPT();
    assertNotNull(opt);
    assertEquals(1232, opt.getPayloadSize());
    assertTrue((opt.getFlags() & ExtendedFlags.DO) != 0);
    assertFalse(m.getHeader().getFlag(Flags.CD));
  }

  @Test
  void withoutDoTheOptRecordHasNoDoBit() throws Exception {
    assertEquals(0, encode(new QueryFlags(true, false, false, 1232)).getOPT().getFlags() & ExtendedFlags.DO);
  }

  @Test
  void cdAndRdAreHeaderBitsAsRequested() throws Exception {
    Message m = encode(new QueryFlags(false, false, true, 1232));
    assertTrue(m.getHeader().getFlag(Flags.CD));
    assertFalse(m.getHeader().getFlag(Flags.RD));
    assertTrue(encode(new QueryFlags(true, false, false, 1232)).getHeader().getFlag(Flags.RD));
  }

  @Test
  void ednsSizeZeroSendsNoOptRecord() throws Exception {
    assertNull(encode(new QueryFlags(true, false, false, 0)).getOPT());
  }

  @Test
  void templateCarriesTheQuestionAndIdZero() throws Exception {
    Message m = encode(new QueryFlags(true, true, false, 1232));
    assertEquals(0, m.getHeader().getID());
    assertEquals(SPEC.name(), m.getQuestion().getName());
    assertEquals(Type.AAAA, m.getQuestion().getType());
  }

  @Test
  void doWithoutEdnsIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> new QueryFlags(true, true, false, 0));
  }
}
