package io.dnssecproxy.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

class CacheKeyTest {

  /** The key the cache-hit path builds from a query's bytes: the question starts after the 12-byte header. */
  private static CacheKey fromQuery(String name, int type) throws Exception {
    byte[] q = Message.newQuery(Record.newRecord(Name.fromString(name), type, DClass.IN)).toWire();
    int length = Name.fromString(name).length();
    return CacheKey.fromQuestionWire(q, 12, length, type, DClass.IN);
  }

  @Test
  void aKeyFromQueryBytesEqualsTheKeyFromTheParsedNameWhateverTheCase() throws Exception {
    CacheKey parsed = new CacheKey(Name.fromString("www.Example.ORG."), Type.A, DClass.IN);
    CacheKey wire = fromQuery("WWW.example.Org.", Type.A);
    assertEquals(parsed, wire);
    assertEquals(parsed.hashCode(), wire.hashCode());
    assertEquals(Name.fromString("www.example.org."), wire.name());
    assertEquals("www.example.org./A/IN", wire.toString());
  }

  @Test
  void typeClassAndNameEachTellKeysApart() throws Exception {
    CacheKey a = new CacheKey(Name.fromString("www.example."), Type.A, DClass.IN);
    assertNotEquals(a, new CacheKey(Name.fromString("www.example."), Type.AAAA, DClass.IN));
    assertNotEquals(a, new CacheKey(Name.fromString("www.example."), Type.A, DClass.CH));
    assertNotEquals(a, new CacheKey(Name.fromString("ww.wexample."), Type.A, DClass.IN));
    assertNotEquals(a, fromQuery("www.example.com.", Type.A));
  }

  @Test
  void onlyAsciiLettersAreFolded() throws Exception {
    // A label byte above 'Z' + 32 or a non-letter such as '@' (0x40, just below 'A') stays as it is.
    Name odd = new Name(new byte[] {2, '@', (byte) 0xC4, 0});
    CacheKey parsed = new CacheKey(odd, Type.TXT, DClass.IN);
    byte[] q = Message.newQuery(Record.newRecord(odd, Type.TXT, DClass.IN)).toWire();
    CacheKey wire = CacheKey.fromQuestionWire(q, 12, odd.length(), Type.TXT, DClass.IN);
    assertEquals(parsed, wire);
    assertNotEquals(new CacheKey(new Name(new byte[] {1, '`', 0}), Type.A, DClass.IN),
        new CacheKey(new Name(new byte[] {1, '@', 0}), Type.A, DClass.IN));
  }

  @Test
  void aCompactKeyEqualsTheFullOneAndStillKnowsItsName() throws Exception {
    CacheKey full = new CacheKey(Name.fromString("Mail.Example."), Type.MX, DClass.IN);
    CacheKey compact = full.compact();
    assertEquals(full, compact);
    assertEquals(full.hashCode(), compact.hashCode());
    assertEquals(Name.fromString("mail.example."), compact.name());
    assertEquals(Type.MX, compact.type());
  }
}
