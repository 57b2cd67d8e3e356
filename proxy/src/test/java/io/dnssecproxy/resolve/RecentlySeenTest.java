package io.dnssecproxy.resolve;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RecentlySeenTest {

  @Test
  void aKeyIsNewTheFirstTimeAndSeenTheSecond() {
    RecentlySeen seen = new RecentlySeen(16);

    assertFalse(seen.seenBefore("a.example."));
    assertTrue(seen.seenBefore("a.example."));
    assertTrue(seen.seenBefore("a.example."));
  }

  @Test
  void lookingWithoutMarkingLeavesTheKeyNew() {
    RecentlySeen seen = new RecentlySeen(16);

    assertFalse(seen.seen("b.example."));
    assertFalse(seen.seenBefore("b.example."), "seen() marked nothing");
    assertTrue(seen.seen("b.example."));
  }

  @Test
  void distinctKeysAreRarelyMistakenForSeenOnes() {
    RecentlySeen seen = new RecentlySeen(16);
    int mistaken = 0;
    for (int i = 0; i < 8000; i++) {
      if (seen.seenBefore("r" + i + ".wild.example.")) {
        mistaken++;
      }
    }
    // Filling to 8,000 of the 8,192 keys it holds, the chance of a false "seen" grows to 1/16;
    // over the whole run it averages below 1/40.
    assertTrue(mistaken < 8000 / 40, "false positives: " + mistaken);
  }

  @Test
  void itClearsItselfSoOldMarksDoNotFillIt() {
    RecentlySeen seen = new RecentlySeen(8); // clears after 32 keys
    seen.seenBefore("old");
    for (int i = 0; i < 40; i++) {
      seen.seenBefore("k" + i);
    }

    assertFalse(seen.seenBefore("old"), "the mark from before the clearing is gone");
  }

  @Test
  void sizesOutsideTheUsefulRangeAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> new RecentlySeen(5));
    assertThrows(IllegalArgumentException.class, () -> new RecentlySeen(31));
  }
}
