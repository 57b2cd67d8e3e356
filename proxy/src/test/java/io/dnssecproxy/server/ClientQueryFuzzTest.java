package io.dnssecproxy.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.dnssecproxy.testing.AllocationMeter;
import io.vertx.core.Future;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;

/**
 * Arbitrary datagrams from clients through the front-end's parse and screen path (the same
 * {@link QueryDispatcher} and {@link ResponseEncoder} the UDP and TCP front-ends use), with a
 * handler that answers at once. For every input: nothing throws, the answer (if any) is ready
 * at once and fits the size the transport allows, it is a response with the query's ID, and
 * handling costs a bounded amount of memory.
 *
 * <p>`mvn test` replays the inputs under {@code ClientQueryFuzzTestInputs/}; fuzzing is
 * {@code JAZZER_FUZZ=1 mvn test -pl proxy -Dtest='ClientQueryFuzzTest'} (see README).
 */
class ClientQueryFuzzTest {

  private static final InetSocketAddress CLIENT = new InetSocketAddress("127.0.0.1", 40000);
  private static final Duration PER_INPUT = Duration.ofSeconds(2);
  /** dnsjava turns a 2-byte compression pointer into a full name object: some blow-up is inherent. */
  private static final long ALLOCATION_PER_INPUT_BYTE = 400;
  private static final long ALLOCATION_BASE = 2 << 20;

  private final QueryDispatcher dispatcher = new QueryDispatcher(
      q -> Future.succeededFuture(FrontendTestSupport.answer(q.message(), 3)), FrontendMetrics.NOOP);

  /** Class loading and first-use caches are not the input's doing: pay them before measuring. */
  ClientQueryFuzzTest() throws Exception {
    for (Message q : new Message[] {FrontendTestSupport.query("warm.example.", org.xbill.DNS.Type.A),
        FrontendTestSupport.ednsQuery("warm.example.", org.xbill.DNS.Type.AAAA, 1232)}) {
      for (Transport t : Transport.values()) {
        ResponseEncoder.encodeOrServfail(dispatcher.dispatch(q.toWire(), t, CLIENT).result(), 512);
      }
    }
    ResponseEncoder.encodeOrServfail(dispatcher.dispatch(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13}, Transport.UDP, CLIENT).result(), 512);
  }

  @FuzzTest(maxDuration = "3m")
  void clientDatagramsAreAnsweredOrDroppedSafely(byte[] wire) {
    long started = System.nanoTime();
    long bound = ALLOCATION_BASE + ALLOCATION_PER_INPUT_BYTE * wire.length;
    long allocated = handle(wire);
    if (allocated > bound) {
      // The first use of a code path loads (and, when fuzzing, instruments) classes on this
      // thread: only an input that is expensive a second time is a finding.
      allocated = handle(wire);
    }
    long measured = allocated;
    assertTrue(measured <= bound, () -> measured + " bytes allocated for a " + wire.length + "-byte message");
    Duration took = Duration.ofNanos(System.nanoTime() - started);
    assertTrue(took.compareTo(PER_INPUT) < 0, () -> "took " + took.toMillis() + " ms");
  }

  /** Dispatches over both transports, checks the answers, returns the bytes allocated doing it. */
  private long handle(byte[] wire) {
    long allocatedBefore = AllocationMeter.allocatedByCurrentThread();
    for (Transport transport : Transport.values()) {
      Future<QueryDispatcher.Reply> reply = dispatcher.dispatch(wire, transport, CLIENT);
      assertTrue(reply.isComplete(), "the dispatcher left the answer pending");
      assertTrue(reply.succeeded(), () -> "dispatch failed: " + reply.cause());
      if (reply.result() == null) {
        assertTrue(wire.length < 12 || (wire[2] & 0x80) != 0, "a full query with QR=0 was dropped");
        continue;
      }
      check(wire, reply.result(), transport);
    }
    return AllocationMeter.allocatedByCurrentThread() - allocatedBefore;
  }

  private static void check(byte[] wire, QueryDispatcher.Reply reply, Transport transport) {
    int limit = transport == Transport.UDP
        ? ResponseEncoder.udpLimit(reply.query(), FrontendLimits.DEFAULT_MAX_UDP_RESPONSE_BYTES)
        : ResponseEncoder.TCP_LIMIT;
    ResponseEncoder.Encoded encoded = ResponseEncoder.encodeOrServfail(reply, limit);
    assertNotNull(encoded.wire());
    assertTrue(encoded.wire().length <= limit, () -> encoded.wire().length + " bytes over the limit of " + limit);
    Message back;
    try {
      back = new Message(encoded.wire());
    } catch (java.io.IOException e) {
      throw new AssertionError("our own response does not parse", e);
    }
    assertTrue(back.getHeader().getFlag(Flags.QR), "the answer is not a response");
    int id = ((wire[0] & 0xFF) << 8) | (wire[1] & 0xFF);
    assertEquals(id, back.getHeader().getID(), "the answer does not carry the query's ID");
  }
}
