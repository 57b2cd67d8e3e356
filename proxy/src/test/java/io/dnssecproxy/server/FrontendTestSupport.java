package io.dnssecproxy.server;

import io.dnssecproxy.testing.Blocking;
import io.vertx.core.Context;
import io.vertx.core.Future;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.function.Supplier;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** Helpers shared by the front-end tests: blocking waits, queries, answers, framing. */
final class FrontendTestSupport {

  static final Duration WAIT = Duration.ofSeconds(5);

  private FrontendTestSupport() {}

  static <T> T await(Future<T> future) throws Exception {
    return Blocking.await(future, WAIT);
  }

  /** Runs the action on the context (as production code would) and waits for its result. */
  static <T> T onContext(Context context, Supplier<Future<T>> action) throws Exception {
    return Blocking.onContext(context, action, WAIT);
  }

  static Message query(String name, int type) throws Exception {
    return Message.newQuery(Record.newRecord(Name.fromString(name), type, DClass.IN));
  }

  static Message ednsQuery(String name, int type, int payload) throws Exception {
    Message query = query(name, type);
    query.addRecord(new OPTRecord(payload, 0, 0), Section.ADDITIONAL);
    return query;
  }

  /** A NOERROR answer with {@code count} A records (about 16 bytes each on the wire). */
  static Message answer(Message query, int count) {
    Message response = new Message(query.getHeader().getID());
    response.getHeader().setFlag(Flags.QR);
    response.getHeader().setFlag(Flags.RD);
    response.getHeader().setFlag(Flags.RA);
    Record question = query.getQuestion();
    response.addRecord(question, Section.QUESTION);
    for (int i = 0; i < count; i++) {
      response.addRecord(new ARecord(question.getName(), DClass.IN, 300, testNetAddress(i)), Section.ANSWER);
    }
    if (query.getOPT() != null) {
      response.addRecord(new OPTRecord(1232, 0, 0), Section.ADDITIONAL);
    }
    return response;
  }

  private static InetAddress testNetAddress(int i) {
    try {
      // 192.0.2.0/24 is documentation space (RFC 5737): record data only, never contacted.
      return InetAddress.getByAddress(new byte[] {(byte) 192, 0, 2, (byte) i});
    } catch (UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  static byte[] frame(byte[] message) {
    byte[] framed = new byte[message.length + 2];
    framed[0] = (byte) (message.length >>> 8);
    framed[1] = (byte) message.length;
    System.arraycopy(message, 0, framed, 2, message.length);
    return framed;
  }

  static Socket tcpClient(int port) throws IOException {
    Socket socket = new Socket(InetAddress.getLoopbackAddress(), port);
    socket.setSoTimeout((int) WAIT.toMillis());
    socket.setTcpNoDelay(true);
    return socket;
  }

  static void writeFramed(Socket socket, Message message) throws IOException {
    OutputStream out = socket.getOutputStream();
    out.write(frame(message.toWire()));
    out.flush();
  }

  static Message readFramed(Socket socket) throws IOException {
    DataInputStream in = new DataInputStream(socket.getInputStream());
    int length = in.readUnsignedShort();
    byte[] wire = new byte[length];
    in.readFully(wire);
    return new Message(wire);
  }

  static boolean isType(Message m, int type) {
    return m.getQuestion() != null && m.getQuestion().getType() == type;
  }
}
