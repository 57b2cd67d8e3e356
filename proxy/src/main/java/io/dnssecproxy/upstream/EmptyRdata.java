package io.dnssecproxy.upstream;

import org.xbill.DNS.Message;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Finds records with zero-length RDATA in an answer. dnsjava parses those (legal only in UPDATE
 * messages) into an EmptyRecord whatever the type, and code expecting, say, a CNAMERecord
 * or an RRSIGRecord (dnsjava's own RRset grouping included) then fails with a
 * ClassCastException. No answer to a query carries them except the OPT pseudo-record, so such a
 * response is dropped as malformed. Found by fuzzing the validator.
 */
public final class EmptyRdata {

  private EmptyRdata() {}

  public static boolean present(Message m) {
    for (int section : new int[] {Section.ANSWER, Section.AUTHORITY, Section.ADDITIONAL}) {
      for (Record r : m.getSection(section)) {
        if (r.getType() != Type.OPT && r.rdataToWireCanonical().length == 0) {
          return true;
        }
      }
    }
    return false;
  }
}
