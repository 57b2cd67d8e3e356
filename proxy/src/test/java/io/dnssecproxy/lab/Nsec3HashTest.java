package io.dnssecproxy.lab;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.NSEC3PARAMRecord;
import org.xbill.DNS.NSEC3Record;
import org.xbill.DNS.Name;

class Nsec3HashTest {

  @Test
  void matchesRfc5155AppendixAExample() {
    // RFC 5155 appendix A: salt aabbccdd, 12 iterations, example. -> 0p9mhaveqvm6t7vbl5lop2u3t2rp3tom
    Nsec3Params params = new Nsec3Params(12, HexFormat.of().parseHex("aabbccdd"), false);
    Name owner = Nsec3Hash.ownerName(Nsec3Hash.hash(Name.fromConstantString("example."), params),
        Name.fromConstantString("example."));
    assertEquals("0p9mhaveqvm6t7vbl5lop2u3t2rp3tom.example.", owner.toString());
  }

  @Test
  void agreesWithDnsjavaForOtherParameters() throws Exception {
    for (Nsec3Params params : new Nsec3Params[] {
        Nsec3Params.rfc9276(), new Nsec3Params(200, new byte[] {1, 2, 3}, true)}) {
      NSEC3PARAMRecord reference = new NSEC3PARAMRecord(Name.root, DClass.IN, 0,
          NSEC3Record.Digest.SHA1, 0, params.iterations(), params.salt());
      for (String name : new String[] {"www.Secure.Test.", "*.wild.nsec3.test.", "."}) {
        Name n = Name.fromConstantString(name);
        assertArrayEquals(reference.hashName(n), Nsec3Hash.hash(n, params), name);
      }
    }
  }

  @Test
  void ownerLabelRoundTrips() {
    byte[] hash = Nsec3Hash.hash(Name.fromConstantString("a.b."), Nsec3Params.rfc9276());
    Name owner = Nsec3Hash.ownerName(hash, Name.fromConstantString("b."));
    assertArrayEquals(hash, Nsec3Hash.hashOfOwner(owner));
  }
}
