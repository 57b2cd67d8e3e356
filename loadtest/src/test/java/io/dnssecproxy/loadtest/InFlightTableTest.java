package io.dnssecproxy.loadtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class InFlightTableTest {

  @Test
  void idsCountUpFromTheStartAndWrapAround() {
    InFlightTable t = new InFlightTable(1, new int[] {65535});
    assertEquals(65535, t.freeId(0));
    t.add(0, 65535, 0, 0);
    assertEquals(0, t.freeId(0));
  }

  @Test
  void outstandingIdIsSkipped() {
    InFlightTable t = new InFlightTable(1, new int[] {10});
    t.add(0, 11, 0, 0);
    assertEquals(10, t.freeId(0));
    t.add(0, 10, 0, 0);
    assertEquals(12, t.freeId(0));
  }

  @Test
  void answerCompletesItsQueryOnceAndFreesTheId() {
    InFlightTable t = new InFlightTable(2, new int[] {0, 0});
    t.add(1, 5, 100, 110);
    InFlightTable.Pending p = t.complete(1, 5);
    assertNotNull(p);
    assertEquals(100, p.intendedNanos());
    assertEquals(110, p.sentNanos());
    assertNull(t.complete(1, 5), "a duplicate answer matches nothing");
    assertEquals(0, t.outstanding());
  }

  @Test
  void answerOnAnotherSocketDoesNotMatch() {
    InFlightTable t = new InFlightTable(2, new int[] {0, 0});
    t.add(0, 5, 0, 0);
    assertNull(t.complete(1, 5));
    assertEquals(1, t.outstanding());
  }

  @Test
  void expireRemovesOnlyUnansweredQueriesSentBeforeTheCutoff() {
    InFlightTable t = new InFlightTable(1, new int[] {0});
    t.add(0, 1, 0, 100);
    t.add(0, 2, 0, 200);
    t.add(0, 3, 0, 300);
    t.complete(0, 1);
    assertEquals(1, t.expire(250), "query 2 is old and unanswered; 1 was answered; 3 is recent");
    assertEquals(1, t.outstanding());
    assertNull(t.complete(0, 2), "an expired query's late answer matches nothing");
    assertNotNull(t.complete(0, 3));
  }

  @Test
  void fullSocketHasNoFreeId() {
    InFlightTable t = new InFlightTable(1, new int[] {0});
    for (int id = 0; id < 65536; id++) {
      t.add(0, id, 0, 0);
    }
    assertEquals(-1, t.freeId(0));
  }

  @Test
  void addingAnOutstandingIdIsABug() {
    InFlightTable t = new InFlightTable(1, new int[] {0});
    t.add(0, 9, 0, 0);
    assertThrows(IllegalStateException.class, () -> t.add(0, 9, 0, 0));
  }
}
