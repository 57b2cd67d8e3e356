package io.dnssecproxy.conformance;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Compares a forwarder's answer with a scenario's CHECK_ANSWER entry on what a validating
 * forwarder is responsible for: the rcode, the AD flag, and the ANSWER section as a set of
 * records (order and TTLs ignored; dnsjava's record equality leaves TTLs out).
 *
 * <p>RRSIGs in the answer are compared only when the query had DO: then the client asked for
 * them and the expected answers list them. Without DO they are ignored on both sides (whether
 * a forwarder strips them for non-DO clients is a separate, RFC 3225 matter, and unbound's
 * expectations omit them). Authority and additional sections are not compared: what a
 * resolver puts there (NS sets, glue, proofs) differs legitimately between implementations.
 */
final class AnswerComparison {

  private static final int MAX_RDATA_SHOWN = 72;

  private AnswerComparison() {}

  /** Human-readable differences; empty when the answer conforms. */
  static List<String> differences(RplEntry expected, Message actual, boolean dnssecQuery) {
    List<String> diffs = new ArrayList<>();
    if (expected.rcode() != actual.getRcode()) {
      diffs.add("rcode: expected " + Rcode.string(expected.rcode()) + ", got "
          + Rcode.string(actual.getRcode()));
    }
    boolean wantAd = expected.hasFlag("AD");
    boolean gotAd = actual.getHeader().getFlag(Flags.AD);
    if (wantAd != gotAd) {
      diffs.add("AD: expected " + (wantAd ? "set" : "clear") + ", got "
          + (gotAd ? "set" : "clear"));
    }
    Set<Record> want = answerSet(expected.section(Section.ANSWER), dnssecQuery);
    Set<Record> got = answerSet(actual.getSection(Section.ANSWER), dnssecQuery);
    for (Record r : want) {
      if (!got.contains(r)) {
        diffs.add("answer: missing    " + show(r));
      }
    }
    for (Record r : got) {
      if (!want.contains(r)) {
        diffs.add("answer: unexpected " + show(r));
      }
    }
    return diffs;
  }

  private static Set<Record> answerSet(List<Record> records, boolean dnssecQuery) {
    Set<Record> set = new LinkedHashSet<>();
    for (Record r : records) {
      if (dnssecQuery || r.getType() != Type.RRSIG) {
        set.add(r);
      }
    }
    return set;
  }

  /** Owner, type and (shortened) rdata: enough to recognise a record in a diff. */
  static String show(Record r) {
    String rdata = r.rdataToString();
    if (rdata.length() > MAX_RDATA_SHOWN) {
      rdata = rdata.substring(0, MAX_RDATA_SHOWN) + "...";
    }
    return r.getName() + " " + Type.string(r.getType()) + " " + rdata;
  }
}
