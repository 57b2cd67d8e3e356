package io.dnssecproxy.loadtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class MainTest {

  @TempDir
  Path dir;

  private record Run(int code, String out, String err) {}

  private Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    return new Run(code, out.toString(), err.toString());
  }

  private Path queries(String text) throws Exception {
    Path f = dir.resolve("q.txt");
    Files.writeString(f, text);
    return f;
  }

  @Test
  void sweepPrintsOneRowPerRateAndWritesJson() throws Exception {
    try (TestResponder responder = new TestResponder()) {
      Path json = dir.resolve("out.json");
      Run r = run("-s", "127.0.0.1", "-p", Integer.toString(responder.port()), "-d", queries("a.test A\nnx.test A\n").toString(),
          "--rates", "200,400", "-l", "0.5", "--pause", "0", "--do", "--json", json.toString());
      assertEquals(0, r.code(), r.err());
      assertTrue(r.out().contains("\n200/s "), r.out());
      assertTrue(r.out().contains("\n400/s "), r.out());
      String j = Files.readString(json);
      assertTrue(j.contains("\"offered_qps\": 200") && j.contains("\"offered_qps\": 400"), j);
      assertTrue(j.contains("\"NXDOMAIN\": 100"), "half of 200/s x 0.5 s: " + j);
    }
  }

  @Test
  void passesOfOneSendsEachNameOnce() throws Exception {
    try (TestResponder responder = new TestResponder()) {
      Path json = dir.resolve("once.json");
      Run r = run("-s", "127.0.0.1", "-p", Integer.toString(responder.port()), "-d", queries("a.test A\nb.test A\nc.test A\n").toString(),
          "--rates", "1000", "-l", "30", "--passes", "1", "--json", json.toString());
      assertEquals(0, r.code(), r.err());
      assertTrue(Files.readString(json).contains("\"sent\": 3,"), Files.readString(json));
    }
  }

  @Test
  void nonLoopbackTargetIsRefusedWithoutPermission() throws Exception {
    Run r = run("-s", "192.0.2.53", "-d", queries("a.test A\n").toString(), "--rates", "10", "-l", "1");
    assertEquals(2, r.code());
    assertTrue(r.err().contains("--allow-non-loopback"), r.err());
  }

  @Test
  void badRateIsAUsageError() throws Exception {
    Run r = run("-d", queries("a.test A\n").toString(), "--rates", "1000,fast");
    assertEquals(2, r.code());
    assertTrue(r.err().contains("not a rate: 'fast'"), r.err());
  }

  @Test
  void hostNameIsRefusedAsTarget() throws Exception {
    Run r = run("-s", "dns.example", "-d", queries("a.test A\n").toString());
    assertEquals(2, r.code());
    assertTrue(r.err().contains("is not an IP address"), r.err());
  }

  @Test
  void badQueryFileLineIsAUsageError() throws Exception {
    Run r = run("-d", queries("a.test BOGUS\n").toString(), "--rates", "10");
    assertEquals(2, r.code());
    assertTrue(r.err().contains("q.txt:1: unknown query type 'BOGUS'"), r.err());
  }
}
