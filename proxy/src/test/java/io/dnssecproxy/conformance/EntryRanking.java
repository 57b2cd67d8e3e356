package io.dnssecproxy.conformance;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.xbill.DNS.Name;
import org.xbill.DNS.Type;

/**
 * The fallback when replaying the iteration gets stuck (the scenario relied on unbound's
 * cache, say): every entry that could answer is ranked, and the best one wins. In order of
 * importance:
 *
 * <ol>
 *   <li>its RANGE covers the current step (entries of other step windows act as the
 *       recursive resolver's cache);
 *   <li>end results (answers, NXDOMAIN, NODATA) over referrals over errors;
 *   <li>for DS, the parent side: the DS RRset, a denial signed above the name, a DS RRset or
 *       no-DS proof taken from a referral, or a matching NSEC/NSEC3 found elsewhere, all over
 *       the child's own NODATA;
 *   <li>how tightly MATCH fits: qname and qtype, qname, subdomain (deeper first), anything;
 *   <li>the server whose zone is closest to the name (for DS: closest strictly above);
 *   <li>file order.
 * </ol>
 */
final class EntryRanking {

  private static final Comparator<Candidate> PREFERENCE =
      Comparator.<Candidate, Boolean>comparing(c -> !c.inRange)
          .thenComparing(c -> -c.reply.kind().rank)
          .thenComparing(c -> -c.dsSide)
          .thenComparing(c -> -c.specificity)
          .thenComparing(c -> -c.closeness)
          .thenComparing(c -> c.source.order());

  private final List<ReplaySource> sources;

  EntryRanking(List<ReplaySource> sources) {
    this.sources = List.copyOf(sources);
  }

  /** The best reply any entry offers for the question, or null when none matches at all. */
  ReplayReply best(Name qname, int qtype, int step) {
    boolean ds = qtype == Type.DS;
    List<Candidate> candidates = new ArrayList<>();
    for (ReplaySource source : sources) {
      RplEntry e = source.entry();
      int closeness = source.zones().closeness(qname, ds);
      boolean inRange = source.range().covers(step);
      int specificity = specificity(e, qname, qtype);
      if (specificity >= 0) {
        EntryKind kind = EntryKind.of(e, source.zones().closeness(qname, false));
        candidates.add(new Candidate(source, ReplayReply.of(e, kind),
            ds ? ParentSideDs.side(e, qname) : 0, specificity, closeness, inRange));
      }
      if (!ds || !DelegationWalk.understood(e)) {
        continue;
      }
      // Parent-side DS answers recovered from other messages rank below the parent's own
      // DS entry (lower specificity) but above the child's NODATA (dsSide 2).
      ReplayReply fromReferral = ParentSideDs.fromReferral(e, qname);
      if (fromReferral != null) {
        candidates.add(new Candidate(source, fromReferral, 2, 0, closeness, inRange));
      }
      ReplayReply denial = ParentSideDs.denialFoundIn(e, qname);
      if (denial != null) {
        candidates.add(new Candidate(source, denial, 2, -1, closeness, inRange));
      }
    }
    return candidates.stream().min(PREFERENCE).map(c -> c.reply).orElse(null);
  }

  /** How tightly the MATCH line fits, higher is tighter; -1 when it does not match. */
  private static int specificity(RplEntry e, Name qname, int qtype) {
    if (!DelegationWalk.matches(e, qname, qtype)) {
      return -1;
    }
    int score = 0;
    if (e.match().contains("qname")) {
      score += 300;
    } else if (e.match().contains("subdomain")) {
      score += 100 + e.qname().labels();
    }
    if (e.match().contains("qtype")) {
      score += 50;
    }
    return score;
  }

  private record Candidate(ReplaySource source, ReplayReply reply, int dsSide,
      int specificity, int closeness, boolean inRange) {}
}
