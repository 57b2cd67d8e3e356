package io.dnssecproxy.upstream;

import io.dnssecproxy.testing.Blocking;
import io.vertx.core.Context;
import io.vertx.core.Future;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/** Helpers for the upstream tests. */
final class UpstreamTestSupport {

  static final Duration WAIT = Duration.ofSeconds(5);

  private UpstreamTestSupport() {}

  static <T> T await(Future<T> future) throws Exception {
    return Blocking.await(future, WAIT);
  }

  /** Runs the action on the context (as production code would) and waits for its result. */
  static <T> T onContext(Context context, Supplier<Future<T>> action) throws Exception {
    return Blocking.onContext(context, action, WAIT);
  }

  /** Like {@link #onContext} for an action expected to fail; returns the failure. */
  static Throwable failureOnContext(Context context, Supplier<Future<?>> action) throws Exception {
    try {
      onContext(context, () -> action.get().mapEmpty());
    } catch (ExecutionException e) {
      return e.getCause();
    }
    throw new AssertionError("expected a failure");
  }

  static Question question(String name, int type) {
    try {
      return Question.of(Name.fromString(name), type);
    } catch (TextParseException e) {
      throw new AssertionError(e);
    }
  }

  /** NOERROR with one A record 192.0.2.1 (documentation address, never contacted). */
  static Message answer(Message query) {
    return answer(query, 1);
  }

  static Message answer(Message query, int records) {
    Message response = responseTo(query, Rcode.NOERROR);
    for (int i = 0; i < records; i++) {
      response.addRecord(
          new ARecord(query.getQuestion().getName(), DClass.IN, 300, address(i + 1)), Section.ANSWER);
    }
    return response;
  }

  static Message responseTo(Message query, int rcode) {
    Message response = new Message(query.getHeader().getID());
    response.getHeader().setFlag(Flags.QR);
    response.getHeader().setFlag(Flags.RD);
    response.getHeader().setFlag(Flags.RA);
    response.getHeader().setRcode(rcode);
    response.addRecord(query.getQuestion(), Section.QUESTION);
    response.addRecord(new OPTRecord(1232, 0, 0), Section.ADDITIONAL);
    return response;
  }

  /** A TC=1 answer with no records, as a resolver sends when the answer exceeds 1232 bytes. */
  static Message truncated(Message query) {
    Message response = responseTo(query, Rcode.NOERROR);
    response.getHeader().setFlag(Flags.TC);
    return response;
  }

  static InetAddress address(int last) {
    try {
      return InetAddress.getByAddress(new byte[] {(byte) 192, 0, 2, (byte) last});
    } catch (UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  static InetAddress firstAddress(Message response) {
    return ((ARecord) response.getSection(Section.ANSWER).stream()
            .filter(r -> r.getType() == Type.A)
            .findFirst()
            .orElseThrow(() -> new AssertionError("no A record in " + response)))
        .getAddress();
  }

  static Record questionRecord(String name, int type) throws TextParseException {
    return Record.newRecord(Name.fromString(name), type, DClass.IN);
  }
}
