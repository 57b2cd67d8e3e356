package io.dnssecproxy.conformance;

import java.util.HashSet;
import java.util.Set;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DNAMERecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.NameTooLongException;
import org.xbill.DNS.Record;

/** Where an answer's CNAME/DNAME chain leads when the answer stops short of the data. */
final class AliasTarget {

  private AliasTarget() {}

  /**
   * Follows CNAMEs and DNAMEs within the answer from {@code start}; returns the name reached
   * when it has no {@code qtype} data in the answer, or null when there is nothing to chase
   * (no alias, data present, a loop, or a DNAME substitution too long to be a name).
   */
  static Name dangling(Set<Record> answer, Name start, int qtype) {
    Name current = start;
    Set<Name> seen = new HashSet<>();
    boolean aliased = false;
    while (seen.add(current)) {
      Name here = current;
      if (answer.stream().anyMatch(r -> r.getName().equals(here) && r.getType() == qtype)) {
        return null;
      }
      Name next = null;
      for (Record r : answer) {
        if (r instanceof CNAMERecord cname && cname.getName().equals(here)) {
          next = cname.getTarget();
          break;
        }
      }
      if (next == null) {
        for (Record r : answer) {
          // A DNAME rewrites names below its owner, never the owner itself.
          if (r instanceof DNAMERecord dname && here.subdomain(dname.getName())
              && !here.equals(dname.getName())) {
            try {
              next = here.fromDNAME(dname);
            } catch (NameTooLongException e) {
              return null;
            }
            break;
          }
        }
      }
      if (next == null) {
        return aliased ? current : null;
      }
      aliased = true;
      current = next;
    }
    return null;
  }
}
