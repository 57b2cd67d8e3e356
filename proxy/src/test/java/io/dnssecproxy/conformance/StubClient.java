package io.dnssecproxy.conformance;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;

/**
 * The harness's side of a query: a plain blocking stub resolver, as an application would use.
 * UDP first (unless told otherwise), TCP when the answer comes back truncated.
 */
final class StubClient {

  private final InetSocketAddress server;
  private final Duration timeout;

  StubClient(InetSocketAddress server, Duration timeout) {
    this.server = server;
    this.timeout = timeout;
  }

  Message query(Message query, boolean tcpOnly) throws IOException {
    if (!tcpOnly) {
      Message response = overUdp(query);
      if (!response.getHeader().getFlag(Flags.TC)) {
        return response;
      }
    }
    return overTcp(query);
  }

  private Message overUdp(Message query) throws IOException {
    byte[] wire = query.toWire();
    long deadline = System.nanoTime() + timeout.toNanos();
    try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
      socket.send(new DatagramPacket(wire, wire.length, server));
      byte[] buffer = new byte[65535];
      while (true) {
        long left = Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
        if (System.nanoTime() >= deadline) {
          throw new SocketTimeoutException("no UDP answer within " + timeout);
        }
        socket.setSoTimeout((int) left);
        DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
        socket.receive(packet);
        Message response = parse(java.util.Arrays.copyOf(buffer, packet.getLength()));
        // Anything else (stray or mangled packets) is ignored, as a stub would.
        if (response != null && response.getHeader().getID() == query.getHeader().getID()) {
          return response;
        }
      }
    }
  }

  private Message overTcp(Message query) throws IOException {
    byte[] wire = query.toWire();
    try (Socket socket = new Socket()) {
      socket.connect(server, (int) timeout.toMillis());
      socket.setSoTimeout((int) timeout.toMillis());
      DataOutputStream out = new DataOutputStream(socket.getOutputStream());
      out.writeShort(wire.length);
      out.write(wire);
      out.flush();
      DataInputStream in = new DataInputStream(socket.getInputStream());
      byte[] response = new byte[in.readUnsignedShort()];
      in.readFully(response);
      Message parsed = parse(response);
      if (parsed == null) {
        throw new IOException("unparseable TCP answer");
      }
      return parsed;
    }
  }

  private static Message parse(byte[] wire) {
    try {
      return new Message(wire);
    } catch (IOException e) {
      return null;
    }
  }
}
