package io.dnssecproxy.upstream;

import io.dnssecproxy.upstream.UpstreamMetrics.DropReason;
import java.util.Optional;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Header;
import org.xbill.DNS.Message;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;

/**
 * Whether a response answers our query (RFC 5452 §9.1): it must be a response to a QUERY, with
 * our ID and exactly our question (name compared case-insensitively, type, class).
 */
final class ResponseMatcher {

  private ResponseMatcher() {}

  /** Why the response is not the answer to the query; empty when it is. */
  static Optional<DropReason> mismatch(Message query, Message response) {
    Header header = response.getHeader();
    Optional<DropReason> headerMismatch = mismatch(query, header);
    if (headerMismatch.isPresent()) {
      return headerMismatch;
    }
    Record asked = query.getQuestion();
    Record echoed = response.getQuestion();
    if (header.getCount(Section.QUESTION) != 1
        || echoed == null
        || !echoed.getName().equals(asked.getName()) // dnsjava's Name.equals ignores case
        || echoed.getType() != asked.getType()
        || echoed.getDClass() != asked.getDClass()) {
      return Optional.of(DropReason.WRONG_QUESTION);
    }
    if (BrokenRdata.present(response)) {
      return Optional.of(DropReason.MALFORMED);
    }
    return Optional.empty();
  }

  /**
   * What the header alone tells (a response to a QUERY, with our ID): all that can be checked of
   * a datagram that may have been cut short.
   */
  static Optional<DropReason> mismatch(Message query, Header header) {
    if (!header.getFlag(Flags.QR) || header.getOpcode() != Opcode.QUERY) {
      return Optional.of(DropReason.NOT_A_RESPONSE);
    }
    if (header.getID() != query.getHeader().getID()) {
      return Optional.of(DropReason.WRONG_ID);
    }
    return Optional.empty();
  }
}
