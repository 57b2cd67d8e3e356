package io.dnssecproxy.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ModeTest {

  @Test
  void parsesEitherModeInAnyCaseWithSpaces() {
    assertEquals(Mode.ENFORCE, Mode.parse("enforce"));
    assertEquals(Mode.PERMISSIVE, Mode.parse(" Permissive "));
    assertEquals(Mode.ENFORCE, Mode.parse("ENFORCE"));
  }

  @Test
  void unknownModeNamesTheValueAndTheChoices() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Mode.parse("strict"));
    assertTrue(e.getMessage().contains("'strict'"), e.getMessage());
    assertTrue(e.getMessage().contains("enforce or permissive"), e.getMessage());
  }

  @Test
  void emptyModeIsRejected() {
    assertThrows(IllegalArgumentException.class, () -> Mode.parse(""));
  }

  @Test
  void tagIsLowerCase() {
    assertEquals("permissive", Mode.PERMISSIVE.tag());
    assertEquals("enforce", Mode.ENFORCE.tag());
  }

  @Test
  void modeSwitchReturnsThePreviousMode() {
    ModeSwitch s = new ModeSwitch(Mode.ENFORCE);
    assertEquals(Mode.ENFORCE, s.set(Mode.PERMISSIVE));
    assertEquals(Mode.PERMISSIVE, s.get());
  }
}
