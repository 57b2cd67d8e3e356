package io.dnssecproxy.server;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
import io.vertx.core.parsetools.RecordParser;
import java.net.InetSocketAddress;

/**
 * One client TCP connection: 2-byte length framing (RFC 1035 §4.2.2), pipelined queries
 * answered in completion order (RFC 7766 §6.2.1.1), a cap on pending queries enforced by
 * pausing reads, and an idle timeout.
 */
final class TcpConnection {

  private final Vertx vertx;
  private final NetSocket socket;
  private final QueryDispatcher dispatcher;
  private final FrontendLimits limits;
  private final FrontendMetrics metrics;
  private final Runnable onClosed;
  private final RecordParser parser;
  private InetSocketAddress client;
  private boolean expectingLength = true;
  private int expectedSize = 2;
  private boolean paused;
  private boolean closed;
  private int inFlight;
  private long idleTimer = -1;

  TcpConnection(
      Vertx vertx,
      NetSocket socket,
      QueryDispatcher dispatcher,
      FrontendLimits limits,
      FrontendMetrics metrics,
      Runnable onClosed) {
    this.vertx = vertx;
    this.socket = socket;
    this.dispatcher = dispatcher;
    this.limits = limits;
    this.metrics = metrics;
    this.onClosed = onClosed;
    // The parser copes with messages split across or packed into TCP segments, and its
    // pause() stops delivery between two messages of the same segment.
    this.parser = RecordParser.newFixed(2, socket);
  }

  void start() {
    try {
      client = Addresses.toInet(socket.remoteAddress());
    } catch (RuntimeException e) {
      close();
      return;
    }
    socket.closeHandler(v -> onSocketClosed());
    socket.drainHandler(v -> updateReading());
    parser.exceptionHandler(e -> close());
    // Netty closes the channel when the client half-closes (Vert.x offers no half-closure), so
    // end of input simply ends the connection; pending answers are dropped.
    parser.endHandler(v -> close());
    parser.handler(this::onRecord);
    armIdleTimer();
  }

  void close() {
    if (!closed) {
      socket.close();
      onSocketClosed();
    }
  }

  private void onRecord(Buffer record) {
    if (closed) {
      return;
    }
    if (record.length() < expectedSize) {
      // The parser hands over what it holds when the client closes mid-frame: a cut-off message
      // (or half a length prefix) is a broken stream, not something to parse. Found by fuzzing.
      metrics.malformed(Transport.TCP);
      close();
      return;
    }
    if (expectingLength) {
      int length = record.getUnsignedShort(0);
      if (length == 0) {
        // A zero-length message cannot be DNS; the stream is broken or hostile.
        metrics.malformed(Transport.TCP);
        close();
        return;
      }
      expectingLength = false;
      expectedSize = length;
      parser.fixedSizeMode(length);
    } else {
      expectingLength = true;
      expectedSize = 2;
      parser.fixedSizeMode(2);
      onMessage(record.getBytes());
    }
  }

  private void onMessage(byte[] wire) {
    armIdleTimer();
    byte[] direct = dispatcher.answerDirectly(wire, Transport.TCP, ResponseEncoder.TCP_LIMIT);
    if (direct != null) {
      socket.write(Buffer.buffer(direct.length + 2).appendUnsignedShort(direct.length).appendBytes(direct));
      return;
    }
    inFlight++;
    updateReading();
    dispatcher.dispatch(wire, Transport.TCP, client).onComplete(ar -> {
      inFlight--;
      if (!closed && ar.succeeded() && ar.result() != null) {
        write(ar.result());
      }
      updateReading();
    });
  }

  private void write(QueryDispatcher.Reply reply) {
    try {
      byte[] wire = ResponseEncoder.encodeOrServfail(reply, ResponseEncoder.TCP_LIMIT).wire();
      Buffer frame = Buffer.buffer(wire.length + 2).appendUnsignedShort(wire.length).appendBytes(wire);
      socket.write(frame);
      armIdleTimer();
    } catch (RuntimeException e) {
      close();
    }
  }

  /** Reads only while below the pending cap and while the client keeps reading our answers. */
  private void updateReading() {
    if (closed) {
      return;
    }
    boolean wanted = inFlight < limits.maxTcpInFlightPerConnection() && !socket.writeQueueFull();
    if (wanted && paused) {
      paused = false;
      parser.resume();
    } else if (!wanted && !paused) {
      paused = true;
      parser.pause();
    }
  }

  private void armIdleTimer() {
    if (closed) {
      return;
    }
    if (idleTimer >= 0) {
      vertx.cancelTimer(idleTimer);
    }
    idleTimer = vertx.setTimer(limits.tcpIdleTimeout().toMillis(), id -> onIdle());
  }

  private void onIdle() {
    idleTimer = -1;
    if (inFlight > 0) {
      armIdleTimer(); // still working for this client: not idle
    } else {
      close();
    }
  }

  private void onSocketClosed() {
    if (closed) {
      return;
    }
    closed = true;
    if (idleTimer >= 0) {
      vertx.cancelTimer(idleTimer);
      idleTimer = -1;
    }
    onClosed.run();
  }
}
