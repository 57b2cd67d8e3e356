package io.dnssecproxy.lab;

import io.vertx.core.buffer.Buffer;
import java.util.function.Consumer;

/** Splits a TCP byte stream into DNS messages framed by a two-byte length (RFC 1035 4.2.2). */
public final class TcpFrameDecoder {

  private final Consumer<byte[]> onMessage;
  private Buffer pending = Buffer.buffer();

  public TcpFrameDecoder(Consumer<byte[]> onMessage) {
    this.onMessage = onMessage;
  }

  public void feed(Buffer chunk) {
    pending.appendBuffer(chunk);
    while (pending.length() >= 2) {
      int length = pending.getUnsignedShort(0);
      if (pending.length() < 2 + length) {
        return;
      }
      onMessage.accept(pending.getBytes(2, 2 + length));
      pending = pending.getBuffer(2 + length, pending.length());
    }
  }

  public static Buffer frame(byte[] message) {
    return Buffer.buffer(message.length + 2).appendUnsignedShort(message.length)
        .appendBytes(message);
  }
}
