package io.dnssecproxy.loadtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class RateListTest {

  @Test
  void commaSeparatedRatesWithKiloSuffix() {
    assertEquals(List.of(1000.0, 5000.0, 20000.0, 2500.0), RateList.parse("1000, 5k,20K,2.5k"));
  }

  @Test
  void zeroNegativeAndTooHighRatesAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> RateList.parse("0"));
    assertThrows(IllegalArgumentException.class, () -> RateList.parse("-100"));
    assertThrows(IllegalArgumentException.class, () -> RateList.parse("5000k"));
  }

  @Test
  void garbageAndEmptyEntriesAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> RateList.parse("fast"));
    assertThrows(IllegalArgumentException.class, () -> RateList.parse("1000,,2000"));
  }
}
