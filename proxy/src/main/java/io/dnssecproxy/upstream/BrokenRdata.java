package io.dnssecproxy.upstream;

import org.xbill.DNS.Message;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Finds records an answer must not carry: zero-length RDATA, which dnsjava parses (it is legal
 * only in UPDATE messages) into an EmptyRecord whatever the type, so code expecting, say, a
 * CNAMERecord or an RRSIGRecord (dnsjava's own RRset grouping included) fails with a
 * ClassCastException; and RDATA that parses but cannot be written back (a WKS record threw
 * ArrayIndexOutOfBoundsException), which the proxy could never pass on to a client. Such a
 * response is dropped as malformed. Both found by fuzzing.
 */
public final class BrokenRdata {

  private BrokenRdata() {}

  public static boolean present(Message m) {
    for (int section : new int[] {Section.ANSWER, Section.AUTHORITY, Section.ADDITIONAL}) {
      for (Record r : m.getSection(section)) {
        if (r.getType() == Type.OPT) {
          continue;
        }
        try {
          if (r.rdataToWireCanonical().length == 0) {
            return true;
          }
        } catch (RuntimeException e) {
          return true;
        }
      }
    }
    return false;
  }
}
