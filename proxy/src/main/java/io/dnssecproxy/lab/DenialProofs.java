package io.dnssecproxy.lab;

import java.util.List;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRset;

/**
 * Picks the NSEC or NSEC3 RRsets (with RRSIGs) that prove a negative or wildcard answer.
 * Every method returns an empty list for unsigned zones.
 */
interface DenialProofs {

  /** The name exists (with data, or as an empty non-terminal) but lacks the queried type. */
  List<RRset> noData(Name qname);

  /** The name does not exist and neither does the wildcard at its closest encloser. */
  List<RRset> nameError(Name qname, Name closestEncloser);

  /** A positive answer synthesized from {@code *.closestEncloser}: qname itself is absent. */
  List<RRset> wildcardAnswer(Name qname, Name closestEncloser);

  /** The wildcard that would match qname exists but lacks the queried type. */
  List<RRset> wildcardNoData(Name qname, Name closestEncloser);

  /** The delegation point has no DS: the child is insecure. */
  List<RRset> noDs(Name cut);

  DenialProofs NONE =
      new DenialProofs() {
        @Override
        public List<RRset> noData(Name qname) {
          return List.of();
        }

        @Override
        public List<RRset> nameError(Name qname, Name closestEncloser) {
          return List.of();
        }

        @Override
        public List<RRset> wildcardAnswer(Name qname, Name closestEncloser) {
          return List.of();
        }

        @Override
        public List<RRset> wildcardNoData(Name qname, Name closestEncloser) {
          return List.of();
        }

        @Override
        public List<RRset> noDs(Name cut) {
          return List.of();
        }
      };
}
