package io.dnssecproxy.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.BugDetectors;
import com.code_intelligence.jazzer.api.SilentCloseable;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.dnssecproxy.testing.AllocationMeter;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Type;

/**
 * Arbitrary byte streams to a real TCP front-end on 127.0.0.1 (RFC 1035 length framing,
 * pipelining, FORMERR for what does not parse). For every input: whatever comes back is a
 * sequence of well-framed DNS responses, the connection ends in bounded time, nothing escapes
 * to Vert.x, the event loop allocates a bounded amount for it (a 65 535-byte message must not
 * cost much more than itself), and a fresh client is still served afterwards.
 *
 * <p>Fuzzing: {@code JAZZER_FUZZ=1 mvn test -pl proxy -Dtest='TcpFramingFuzzTest'} (see README).
 */
class TcpFramingFuzzTest {

  private static final Duration READ_TIMEOUT = Duration.ofSeconds(3);
  private static final long ALLOCATION_PER_INPUT_BYTE = 400;
  private static final long ALLOCATION_BASE = 4 << 20;

  private static final Vertx VERTX = Vertx.vertx();
  private static final List<Throwable> ESCAPED = new CopyOnWriteArrayList<>();
  private static final long[] EVENT_LOOP_THREAD = new long[1];
  private static final TcpFrontend FRONTEND = Rig.start(VERTX, ESCAPED, EVENT_LOOP_THREAD);

  /**
   * Starts the front-end. A class of its own: the event loop runs its lambdas, and lambdas of the
   * test class would wait for the test class to finish initialising, which waits for them.
   */
  private static final class Rig {
    static TcpFrontend start(Vertx vertx, List<Throwable> escaped, long[] eventLoopThread) {
      vertx.exceptionHandler(escaped::add);
      try {
        return FrontendTestSupport.onContext(vertx.getOrCreateContext(), () -> {
          eventLoopThread[0] = Thread.currentThread().getId();
          TcpFrontend f = new TcpFrontend(vertx, new InetSocketAddress("127.0.0.1", 0),
              q -> Future.succeededFuture(FrontendTestSupport.answer(q.message(), 2)),
              FrontendLimits.defaults().withTcpIdleTimeout(Duration.ofMillis(500)), FrontendMetrics.NOOP);
          return f.start().map(v -> f);
        });
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
  }

  @AfterAll
  static void stop() {
    VERTX.close();
  }

  /**
   * The first answers on a connection initialise Netty's buffer pools and load classes on the
   * event loop (tens of MB, once): done here so the fuzz inputs are measured warm.
   */
  TcpFramingFuzzTest() throws Exception {
    if (!warm) {
      byte[] garbage = new byte[300];
      for (int i = 0; i < garbage.length; i++) {
        garbage[i] = (byte) (i * 7);
      }
      for (int i = 0; i < 3; i++) {
        stillServes();
        exchange(new byte[] {1, 44});
        exchange(java.nio.ByteBuffer.allocate(302).putShort((short) 300).put(garbage).array());
      }
      warm = true;
    }
  }

  private static volatile boolean warm;

  @FuzzTest(maxDuration = "3m")
  void byteStreamsFromClientsAreFramedSafely(byte[] stream) throws Exception {
    // Jazzer's SSRF detector flags sockets the test itself opens; these go to 127.0.0.1 only.
    try (SilentCloseable loopback = BugDetectors.allowNetworkConnections()) {
      fuzzOne(stream);
    }
  }

  private static void fuzzOne(byte[] stream) throws Exception {
    long bound = ALLOCATION_BASE + ALLOCATION_PER_INPUT_BYTE * stream.length;
    long allocated = exchangeAndCheck(stream);
    if (allocated > bound) {
      // First use of a code path loads (and, when fuzzing, instruments) classes on the event
      // loop: only an input that is expensive a second time is a finding.
      allocated = exchangeAndCheck(stream);
    }
    long measured = allocated;
    assertTrue(measured <= bound, () -> measured + " bytes allocated on the event loop for a " + stream.length + "-byte stream");
    if (!ESCAPED.isEmpty()) {
      throw new AssertionError("escaped to Vert.x: " + ESCAPED, ESCAPED.get(0));
    }
    stillServes();
  }

  private static long exchangeAndCheck(byte[] stream) throws IOException {
    long before = AllocationMeter.allocatedBy(EVENT_LOOP_THREAD[0]);
    checkFrames(exchange(stream));
    return AllocationMeter.allocatedBy(EVENT_LOOP_THREAD[0]) - before;
  }

  /** Writes the stream, half-closes, and reads until the server closes (or the time is up). */
  private static byte[] exchange(byte[] stream) throws IOException {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", FRONTEND.actualPort()), 2000);
      s.setSoTimeout((int) READ_TIMEOUT.toMillis());
      OutputStream out = s.getOutputStream();
      try {
        out.write(stream);
        out.flush();
        s.shutdownOutput();
      } catch (IOException closedEarly) {
        return new byte[0]; // the server may close a broken stream before reading all of it
      }
      ByteArrayOutputStream got = new ByteArrayOutputStream();
      InputStream in = s.getInputStream();
      byte[] buf = new byte[4096];
      long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
      try {
        for (int n; (n = in.read(buf)) >= 0; ) {
          got.write(buf, 0, n);
          assertTrue(System.nanoTime() < deadline, "the connection did not end in time");
        }
      } catch (SocketTimeoutException e) {
        throw new AssertionError("the connection did not end within " + READ_TIMEOUT.toMillis() + " ms");
      } catch (IOException reset) {
        // A reset after close is a fine way to end a broken stream.
      }
      return got.toByteArray();
    }
  }

  private static void checkFrames(byte[] received) throws IOException {
    int at = 0;
    while (at < received.length) {
      assertTrue(at + 2 <= received.length, "a partial length prefix came back");
      int length = ((received[at] & 0xFF) << 8) | (received[at + 1] & 0xFF);
      assertTrue(at + 2 + length <= received.length, "a partial message came back");
      Message m = new Message(java.util.Arrays.copyOfRange(received, at + 2, at + 2 + length));
      assertTrue(m.getHeader().getFlag(Flags.QR), "a frame that is not a response came back");
      at += 2 + length;
    }
  }

  private static void stillServes() throws Exception {
    Message probe = FrontendTestSupport.query("probe.example.", Type.A);
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", FRONTEND.actualPort()), 2000);
      s.setSoTimeout(2000);
      byte[] wire = probe.toWire();
      OutputStream out = s.getOutputStream();
      out.write(new byte[] {(byte) (wire.length >>> 8), (byte) wire.length});
      out.write(wire);
      out.flush();
      DataInputStream in = new DataInputStream(s.getInputStream());
      byte[] answer = new byte[in.readUnsignedShort()];
      in.readFully(answer);
      assertEquals(probe.getHeader().getID(), new Message(answer).getHeader().getID());
    }
  }
}
