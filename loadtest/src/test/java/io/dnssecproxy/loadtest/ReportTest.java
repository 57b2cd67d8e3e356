package io.dnssecproxy.loadtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Rcode;

class ReportTest {

  private static final long MS = 1_000_000L;

  /** 1000 answers taking 1..1000 ms from the intended send time (sent 5 ms late), 10 SERVFAIL, 900 with AD. */
  private static StepRecorder recorder() {
    StepRecorder r = new StepRecorder();
    for (int i = 1; i <= 1000; i++) {
      long intended = i * 10 * MS;
      long sent = intended + 5 * MS;
      r.sent(intended, sent);
      int rcode = i <= 10 ? Rcode.SERVFAIL : Rcode.NOERROR;
      r.answered(new ResponseHeader(i, true, i > 100, false, rcode), intended, sent, intended + i * MS);
    }
    for (int i = 0; i < 25; i++) {
      r.sent(0, 0);
    }
    r.timeouts = 25;
    return r;
  }

  @Test
  void percentilesComeFromTheIntendedSendTime() {
    StepResult s = StepResult.of(1000, 0, 1.0, recorder());
    Percentiles l = s.latency();
    assertEquals(1000, l.count());
    assertEquals(500, l.p50(), 1);
    assertEquals(900, l.p90(), 1);
    assertEquals(990, l.p99(), 1);
    assertEquals(999, l.p999(), 1);
    assertEquals(1000, l.max(), 1);
    assertEquals(500.5, l.mean(), 1);
  }

  @Test
  void serviceTimeExcludesTheSendLag() {
    StepResult s = StepResult.of(1000, 0, 1.0, recorder());
    assertEquals(495, s.serviceTime().p50(), 1);
    assertEquals(5, s.sendLag().p50(), 0.01);
  }

  @Test
  void countsLossRcodesAndAd() {
    StepResult s = StepResult.of(1000, 0, 2.0, recorder());
    assertEquals(1025, s.sent());
    assertEquals(1000, s.answered());
    assertEquals(500.0, s.qps(), 1e-9, "answers per second of sending");
    assertEquals(100.0 * 25 / 1025, s.lossPercent(), 1e-9);
    assertEquals(90.0, s.authenticDataPercent(), 1e-9);
    assertEquals(List.of("NOERROR", "SERVFAIL"), List.copyOf(s.rcodes().keySet()), "in RCODE order");
    assertEquals(990L, s.rcodes().get("NOERROR"));
    assertEquals(10L, s.rcodes().get("SERVFAIL"));
  }

  @Test
  void mergingRecordersAddsEverything() {
    StepRecorder a = recorder();
    a.add(recorder());
    StepResult s = StepResult.of(1000, 0, 1.0, a);
    assertEquals(2000, s.latency().count());
    assertEquals(2050, s.sent());
    assertEquals(50, s.timeouts());
    assertEquals(20L, s.rcodes().get("SERVFAIL"));
    assertEquals(500, s.latency().p50(), 1);
  }

  @Test
  void emptyStepReportsZerosNotErrors() {
    StepResult s = StepResult.of(0, 10, 0, new StepRecorder());
    assertEquals(0, s.qps());
    assertEquals(0, s.lossPercent());
    assertEquals(0, s.latency().p99());
    assertTrue(TextReport.row(s).startsWith("c=10"));
  }

  @Test
  void textRowShowsLoadQpsLossPercentilesAndRcodes() {
    String row = TextReport.row(StepResult.of(1000, 0, 2.0, recorder()));
    assertTrue(row.startsWith("1000/s"), row);
    assertTrue(row.contains(" 500.0 "), row);
    assertTrue(row.contains(" 2.44 "), "loss% " + row);
    assertTrue(row.contains("NOERROR=990 SERVFAIL=10"), row);
  }

  @Test
  void jsonCarriesTheStepsAndTheirPercentiles() {
    RunInfo info = new RunInfo("hit \"quoted\"", "127.0.10.201:53", "q.txt", 20, new QueryFlags(true, true, false, 1232),
        1, 8, "epoll", 2);
    String json = JsonReport.of(info, List.of(StepResult.of(1000, 0, 2.0, recorder()), StepResult.of(0, 50, 1.0, recorder())));
    assertTrue(json.contains("\"label\": \"hit \\\"quoted\\\"\""), json);
    assertTrue(json.contains("\"flags\": {\"rd\": true, \"do\": true, \"cd\": false, \"edns\": 1232}"), json);
    assertTrue(json.contains("\"mode\": \"open-loop\", \"offered_qps\": 1000, \"outstanding\": null"), json);
    assertTrue(json.contains("\"mode\": \"closed-loop\", \"offered_qps\": null, \"outstanding\": 50"), json);
    assertTrue(json.contains("\"rcodes\": {\"NOERROR\": 990, \"SERVFAIL\": 10}"), json);
    assertTrue(json.matches("(?s).*\"latency_ms\": \\{\"count\": 1000, \"mean\": 500\\.\\d+, \"p50\": 500\\.\\d+.*"), json);
    assertEquals(json.chars().filter(c -> c == '{').count(), json.chars().filter(c -> c == '}').count());
  }

  @Test
  void jsonNumbersAreShortAndValid() {
    assertEquals("1000", JsonReport.num(1000.0));
    assertEquals("0.081235", JsonReport.num(0.0812346));
    assertEquals("2.5", JsonReport.num(2.5));
    assertEquals("0", JsonReport.num(0));
    assertEquals("null", JsonReport.num(Double.NaN));
  }

  @Test
  void jsonStringsEscapeControlCharacters() {
    assertEquals("\"a\\\\b\\n\\u0001\"", JsonReport.str("a\\b\n\u0001"));
  }
}
