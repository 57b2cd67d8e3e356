package io.dnssecproxy.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.BugDetectors;
import com.code_intelligence.jazzer.api.SilentCloseable;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.dnssecproxy.lab.RecursiveAnswerer;
import io.dnssecproxy.lab.LabWorld;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.datagram.DatagramSocket;
import io.vertx.core.net.NetServer;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.xbill.DNS.Message;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * Arbitrary upstream responses to the upstream client's real query, over UDP and (when a forged
 * answer that matches carries TC=1) TCP, on 127.0.0.1. The fuzz input is
 * {@code [flags][udp length: 2][udp bytes][tcp stream]}; flag bit 0 copies the query's ID and
 * question into the forged datagram so the matching code sees answers that get past the ID
 * check. The genuine answer follows the forged datagram, so the exchange ends quickly either
 * way. For every input: the try completes in bounded time, never with anything but an answer or
 * an {@link UpstreamException}, an accepted answer carries our ID and exactly our question, and
 * nothing escapes to Vert.x.
 *
 * <p>Fuzzing: {@code JAZZER_FUZZ=1 mvn test -pl proxy -Dtest='UpstreamResponseFuzzTest'}.
 */
class UpstreamResponseFuzzTest {

  private static final Duration TRY = Duration.ofMillis(700);
  private static final Vertx VERTX = Vertx.vertx();
  private static final List<Throwable> ESCAPED = new CopyOnWriteArrayList<>();
  private static final RecursiveAnswerer GENUINE = new RecursiveAnswerer(LabWorld.get().zones());
  private static final AtomicReference<byte[]> INPUT = new AtomicReference<>(new byte[0]);
  private static final AtomicReference<Message> LAST_QUERY = new AtomicReference<>();
  private static final int PORT = startFakeServer();
  private static final UpstreamServerClient CLIENT =
      new UpstreamServerClient(VERTX, new InetSocketAddress("127.0.0.1", PORT), UpstreamMetrics.NOOP);

  /** UDP: the forged datagram, then the genuine answer. TCP: the forged stream, then close. */
  private static int startFakeServer() {
    VERTX.exceptionHandler(ESCAPED::add);
    IllegalStateException failure = new IllegalStateException("fake upstream did not start");
    for (int attempt = 0; attempt < 10; attempt++) {
      try {
        return bindFakeServer();
      } catch (Exception e) {
        failure.addSuppressed(e); // the UDP port's number was taken for TCP: try another
      }
    }
    throw failure;
  }

  private static int bindFakeServer() throws Exception {
    {
      DatagramSocket udp = VERTX.createDatagramSocket();
      udp.handler(packet -> {
        Message query;
        try {
          query = new Message(packet.data().getBytes());
        } catch (Exception e) {
          return;
        }
        LAST_QUERY.set(query);
        byte[] forged = udpPart(INPUT.get(), query);
        String host = packet.sender().host();
        int port = packet.sender().port();
        udp.send(Buffer.buffer(forged), port, host);
        udp.send(Buffer.buffer(GENUINE.respond(query).toWire()), port, host);
      });
      udp.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
      int port = udp.localAddress().port();
      NetServer tcp = VERTX.createNetServer();
      tcp.connectHandler(socket -> {
        socket.exceptionHandler(e -> socket.close());
        socket.write(Buffer.buffer(tcpPart(INPUT.get()))).onComplete(ar -> socket.close());
      });
      try {
        tcp.listen(port, "127.0.0.1").toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
      } catch (Exception e) {
        udp.close();
        throw e;
      }
      return port;
    }
  }

  @AfterAll
  static void stop() {
    VERTX.close();
  }

  @FuzzTest(maxDuration = "3m")
  void forgedAndBrokenUpstreamAnswersAreMatchedSafely(byte[] input) throws Exception {
    // Jazzer's SSRF detector flags sockets the test itself opens; these go to 127.0.0.1 only.
    try (SilentCloseable loopback = BugDetectors.allowNetworkConnections()) {
      fuzzOne(input);
    }
  }

  private static void fuzzOne(byte[] input) throws Exception {
    INPUT.set(input);
    Question question = Question.of(LabWorld.SECURE_WWW, Type.A);
    long started = System.nanoTime();
    Message answer;
    try {
      answer = CLIENT.query(question, TRY).toCompletionStage().toCompletableFuture().get(TRY.toMillis() + 2000, TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      assertTrue(e.getCause() instanceof UpstreamException, () -> "failed with " + e.getCause());
      answer = null;
    }
    Duration took = Duration.ofNanos(System.nanoTime() - started);
    assertTrue(took.compareTo(TRY.plusMillis(1000)) < 0, () -> "took " + took.toMillis() + " ms");
    if (answer != null) {
      Message query = LAST_QUERY.get();
      assertEquals(query.getHeader().getID(), answer.getHeader().getID(), "accepted an answer with another ID");
      Record q = answer.getQuestion();
      assertEquals(LabWorld.SECURE_WWW, q.getName());
      assertEquals(Type.A, q.getType());
    }
    if (!ESCAPED.isEmpty()) {
      throw new AssertionError("escaped to Vert.x: " + ESCAPED, ESCAPED.get(0));
    }
  }

  private static byte[] udpPart(byte[] input, Message query) {
    if (input.length < 3) {
      return new byte[0];
    }
    int length = Math.min(((input[1] & 0xFF) << 8) | (input[2] & 0xFF), input.length - 3);
    byte[] forged = Arrays.copyOfRange(input, 3, 3 + length);
    if ((input[0] & 1) != 0) {
      // Our ID and question, then whatever the fuzzer wrote after its own header and question.
      byte[] q = query.toWire();
      int questionEnd = 12 + query.getQuestion().getName().length() + 4;
      byte[] out = forged.length > questionEnd ? forged.clone() : Arrays.copyOf(forged, questionEnd);
      System.arraycopy(q, 0, out, 0, 2);
      out[2] |= (byte) 0x80;
      out[4] = 0;
      out[5] = 1;
      System.arraycopy(q, 12, out, 12, questionEnd - 12);
      return out;
    }
    return forged;
  }

  private static byte[] tcpPart(byte[] input) {
    if (input.length < 3) {
      return new byte[0];
    }
    int length = Math.min(((input[1] & 0xFF) << 8) | (input[2] & 0xFF), input.length - 3);
    return Arrays.copyOfRange(input, 3 + length, input.length);
  }
}
