package io.dnssecproxy.loadtest;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.util.Arrays;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;

/**
 * A tiny DNS responder on 127.0.0.1 for the generator's tests: answers every query with AD set,
 * NXDOMAIN for {@code nx.test.}, and never answers {@code drop.test.}.
 */
final class TestResponder implements AutoCloseable {

  private static final Name NX = Name.fromConstantString("nx.test.");
  private static final Name DROP = Name.fromConstantString("drop.test.");

  private final DatagramSocket socket;
  private final Thread thread;

  TestResponder() throws SocketException {
    socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    thread = new Thread(this::serve, "test-responder");
    thread.setDaemon(true);
    thread.start();
  }

  int port() {
    return socket.getLocalPort();
  }

  private void serve() {
    byte[] buf = new byte[4096];
    while (!socket.isClosed()) {
      try {
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        socket.receive(p);
        Message q = new Message(Arrays.copyOf(p.getData(), p.getLength()));
        Name n = q.getQuestion().getName();
        if (n.equals(DROP)) {
          continue;
        }
        Message r = new Message(q.getHeader().getID());
        r.getHeader().setFlag(Flags.QR);
        r.getHeader().setFlag(Flags.AD);
        r.getHeader().setRcode(n.equals(NX) ? Rcode.NXDOMAIN : Rcode.NOERROR);
        r.addRecord(q.getQuestion(), Section.QUESTION);
        byte[] out = r.toWire();
        socket.send(new DatagramPacket(out, out.length, p.getSocketAddress()));
      } catch (SocketException closed) {
        return;
      } catch (Exception e) {
        // a query the responder cannot parse is simply not answered
      }
    }
  }

  @Override
  public void close() throws InterruptedException {
    socket.close();
    thread.join(5000);
  }
}
