package io.dnssecproxy.resolve;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Section;

/** Compares a fast path's response with the normal path's, as a client would see them. */
final class SameResponse {

  private SameResponse() {}

  static void assertSameResponse(Message normal, Message got) {
    assertEquals(normal.getHeader().getID(), got.getHeader().getID(), "ID");
    for (int flag : new int[] {Flags.QR, Flags.RD, Flags.RA, Flags.AD, Flags.CD, Flags.TC, Flags.AA}) {
      assertEquals(normal.getHeader().getFlag(flag), got.getHeader().getFlag(flag), "flag " + Flags.string(flag));
    }
    assertEquals(normal.getRcode(), got.getRcode(), "rcode");
    assertEquals(normal.getQuestion().getName().toString(false), got.getQuestion().getName().toString(false), "question spelling");
    assertEquals(normal.getQuestion(), got.getQuestion(), "question");
    // Owner names compressed against the question carry the client's spelling: equal as DNS
    // names (case-insensitive), which is what Record.equals compares.
    for (int s : new int[] {Section.ANSWER, Section.AUTHORITY}) {
      assertEquals(normal.getSection(s), got.getSection(s), "section " + Section.string(s));
      for (int i = 0; i < normal.getSection(s).size(); i++) {
        assertEquals(normal.getSection(s).get(i).getTTL(), got.getSection(s).get(i).getTTL(), "TTL in " + Section.string(s));
      }
    }
    OPTRecord want = normal.getOPT();
    OPTRecord have = got.getOPT();
    assertEquals(want == null, have == null, "OPT presence");
    if (want != null) {
      assertEquals(want.getPayloadSize(), have.getPayloadSize());
      assertEquals(want.getFlags(), have.getFlags());
      assertEquals(want.getOptions().size(), have.getOptions().size());
    }
    assertEquals(normal.getSection(Section.ADDITIONAL).size(), got.getSection(Section.ADDITIONAL).size(), "additional count");
  }
}
