package io.dnssecproxy.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class RsaKeyLayoutTest {

  @Test
  void aOneByteExponentLengthIsFollowedByTheExponentThenTheModulus() {
    assertEquals(new RsaKeyLayout(1, 3, 4, 2), RsaKeyLayout.of(new byte[] {3, 1, 0, 1, (byte) 0xC3, 0x55}));
  }

  @Test
  void aZeroByteIntroducesATwoByteExponentLength() {
    byte[] key = new byte[3 + 256 + 64];
    key[1] = 0x01; // 256-byte exponent
    assertEquals(new RsaKeyLayout(3, 256, 259, 64), RsaKeyLayout.of(key));
  }

  @Test
  void fieldsTooShortForTheirOwnLengthsHaveNoLayout() {
    assertNull(RsaKeyLayout.of(new byte[0]));
    assertNull(RsaKeyLayout.of(new byte[] {0, 1}), "no room for a two-byte length");
    assertNull(RsaKeyLayout.of(new byte[] {0, 0, 0, 5}), "exponent of length 0");
    assertNull(RsaKeyLayout.of(new byte[] {3, 1, 0, 1}), "no modulus");
    assertNull(RsaKeyLayout.of(new byte[] {9, 1, 2}), "exponent longer than the field");
  }
}
