package io.dnssecproxy.lab;

import io.dnssecproxy.upstream.Question;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.datagram.DatagramSocket;
import io.vertx.core.datagram.DatagramSocketOptions;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.SocketAddress;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;

/**
 * A recursive resolver on 127.0.0.1 (UDP and TCP on one ephemeral port) that answers from
 * {@link LabZone}s through a {@link RecursiveAnswerer}, plus knobs to make it misbehave.
 *
 * <p>UDP responses larger than the client's EDNS payload (512 without EDNS) are truncated to
 * header, question and OPT with TC set; TCP responses are never truncated. Every query is
 * logged before any knob applies, so dropped and delayed queries are counted too.
 */
public final class LabUpstream implements AutoCloseable {

  private static final String HOST = "127.0.0.1";
  private static final int BIND_ATTEMPTS = 10;
  private static final long CLOSE_TIMEOUT_SECONDS = 5;

  private final Vertx vertx;
  private final RecursiveAnswerer answerer;
  private final UpstreamKnobs knobs = new UpstreamKnobs();
  private final List<ReceivedQuery> received = new CopyOnWriteArrayList<>();
  private volatile DatagramSocket udp;
  private volatile NetServer tcp;
  private volatile int port;

  public LabUpstream(Vertx vertx, Collection<LabZone> zones) {
    this.vertx = vertx;
    this.answerer = new RecursiveAnswerer(zones);
  }

  /** An upstream serving the shared {@link LabWorld}. */
  public static LabUpstream forHierarchy(Vertx vertx) {
    return new LabUpstream(vertx, LabWorld.get().zones());
  }

  /** Binds UDP and TCP to the same ephemeral port; retries if TCP finds that port taken. */
  public Future<LabUpstream> start() {
    return bind(BIND_ATTEMPTS).map(v -> this);
  }

  /** {@link #start()} for plain test threads: blocks at most 10 s (never on an event loop). */
  public LabUpstream startAndWait() {
    try {
      return start().toCompletionStage().toCompletableFuture()
          .get(CLOSE_TIMEOUT_SECONDS * 2, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("fake upstream did not start", e);
    }
  }

  private Future<Void> bind(int attemptsLeft) {
    DatagramSocket socket = vertx.createDatagramSocket(new DatagramSocketOptions());
    socket.handler(packet -> onUdp(socket, packet.sender(), packet.data()));
    return socket.listen(0, HOST).compose(s -> {
      int candidate = s.localAddress().port();
      NetServer server = vertx.createNetServer(new NetServerOptions());
      server.connectHandler(this::onTcpConnection);
      return server.listen(candidate, HOST)
          .map(ok -> {
            udp = s;
            tcp = server;
            port = candidate;
            return (Void) null;
          })
          .recover(err -> {
            Future<Void> closed = s.close();
            return attemptsLeft > 1 ? closed.transform(x -> bind(attemptsLeft - 1))
                : Future.failedFuture(err);
          });
    });
  }

  /** The port UDP and TCP listen on; valid after {@link #start()} completed. */
  public int port() {
    return port;
  }

  public InetSocketAddress address() {
    return new InetSocketAddress(HOST, port);
  }

  public Future<Void> stop() {
    Future<Void> udpClosed = udp == null ? Future.succeededFuture() : udp.close();
    Future<Void> tcpClosed = tcp == null ? Future.succeededFuture() : tcp.close();
    return Future.join(udpClosed, tcpClosed).mapEmpty();
  }

  /** Blocking stop, bounded in time; releases both ports. */
  @Override
  public void close() {
    try {
      stop().toCompletionStage().toCompletableFuture()
          .get(CLOSE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("fake upstream did not close", e);
    }
  }

  // ---- what it received ----

  /** Every query received so far, in arrival order. */
  public List<ReceivedQuery> received() {
    return List.copyOf(received);
  }

  public long count(Question question) {
    return received.stream().filter(r -> r.question().equals(question)).count();
  }

  public long count(Name name, int type) {
    return count(Question.of(name, type));
  }

  public void clearReceived() {
    received.clear();
  }

  // ---- knobs ----

  /** Answers the question with a copy of {@code canned}, its ID set to the query's. */
  public void respondWith(Question question, Message canned) {
    knobs.override(question, query -> {
      Message copy = canned.clone();
      copy.getHeader().setID(query.getHeader().getID());
      return copy;
    });
  }

  /** Answers the question with whatever the function makes of the query (null: no answer). */
  public void respondWith(Question question, Function<Message, Message> responder) {
    knobs.override(question, responder);
  }

  public void delay(Question question, Duration delay) {
    knobs.delay(question, delay);
  }

  public void delayAll(Duration delay) {
    knobs.delayAll(delay);
  }

  /** Never answers the question (it is still logged). */
  public void drop(Question question) {
    knobs.drop(question);
  }

  public void dropAll(boolean on) {
    knobs.dropAll(on);
  }

  public void servfail(Question question) {
    knobs.servfail(question);
  }

  public void servfailAll(boolean on) {
    knobs.servfailAll(on);
  }

  /** Over UDP, sends these forgeries (in order) before the genuine answer. */
  public void spoof(Question question, Spoof... kinds) {
    knobs.spoof(question, Arrays.asList(kinds));
  }

  /** How long the genuine answer trails the forgeries (default 50 ms). */
  public void spoofLead(Duration lead) {
    knobs.spoofLead(lead);
  }

  /** Clears every knob (not the received log). */
  public void resetKnobs() {
    knobs.reset();
  }

  // ---- serving ----

  private void onUdp(DatagramSocket socket, SocketAddress sender, Buffer data) {
    Message query = parse(data.getBytes());
    if (query == null) {
      return;
    }
    Question question = record(query, false);
    if (question == null || knobs.dropped(question)) {
      return;
    }
    Message response = responseFor(query, question);
    if (response == null) {
      return;
    }
    Duration delay = knobs.delay(question);
    List<Spoof> spoofs = knobs.spoofs(question);
    if (!spoofs.isEmpty()) {
      for (Spoof kind : spoofs) {
        send(socket, sender, fitUdp(Spoofer.forge(response, kind), query));
      }
      delay = delay.plus(knobs.spoofLead());
    }
    byte[] wire = fitUdp(response, query);
    later(delay, () -> send(socket, sender, wire));
  }

  private void onTcpConnection(NetSocket socket) {
    TcpFrameDecoder decoder = new TcpFrameDecoder(bytes -> {
      Message query = parse(bytes);
      if (query == null) {
        socket.close();
        return;
      }
      Question question = record(query, true);
      if (question == null || knobs.dropped(question)) {
        return;
      }
      Message response = responseFor(query, question);
      if (response != null) {
        byte[] wire = response.toWire();
        later(knobs.delay(question), () -> socket.write(TcpFrameDecoder.frame(wire)));
      }
    });
    socket.handler(decoder::feed);
    socket.exceptionHandler(err -> socket.close());
  }

  private Message responseFor(Message query, Question question) {
    Function<Message, Message> override = knobs.override(question);
    if (override != null) {
      return override.apply(query);
    }
    if (knobs.failing(question)) {
      Message failure = RecursiveAnswerer.emptyResponse(query);
      failure.getHeader().setRcode(Rcode.SERVFAIL);
      return failure;
    }
    return answerer.respond(query);
  }

  private Question record(Message query, boolean overTcp) {
    Record q = query.getQuestion();
    if (q == null) {
      return null;
    }
    Question question = new Question(q.getName(), q.getType(), q.getDClass());
    OPTRecord opt = query.getOPT();
    received.add(new ReceivedQuery(question, overTcp, query.getHeader().getID(),
        opt != null && (opt.getFlags() & ExtendedFlags.DO) != 0,
        query.getHeader().getFlag(Flags.CD), opt == null ? 0 : opt.getPayloadSize()));
    return question;
  }

  /** The wire form if it fits the client's UDP limit, else a TC=1 header+question(+OPT). */
  public static byte[] fitUdp(Message response, Message query) {
    OPTRecord opt = query.getOPT();
    int limit = opt == null ? 512 : Math.max(512, opt.getPayloadSize());
    byte[] wire = response.toWire();
    if (wire.length <= limit) {
      return wire;
    }
    Message truncated = RecursiveAnswerer.emptyResponse(query);
    truncated.getHeader().setRcode(response.getRcode());
    truncated.getHeader().setFlag(Flags.TC);
    return truncated.toWire();
  }

  private static Message parse(byte[] bytes) {
    try {
      return new Message(bytes);
    } catch (IOException e) {
      return null;
    }
  }

  private static void send(DatagramSocket socket, SocketAddress to, byte[] wire) {
    socket.send(Buffer.buffer(wire), to.port(), to.host());
  }

  private void later(Duration delay, Runnable action) {
    long millis = delay.toMillis();
    if (millis <= 0) {
      action.run();
    } else {
      vertx.setTimer(millis, id -> action.run());
    }
  }

}
