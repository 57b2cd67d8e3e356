package io.dnssecproxy.lab;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.xbill.DNS.NSEC3Record;
import org.xbill.DNS.NSECRecord;
import org.xbill.DNS.Name;

/** What NSEC/NSEC3 records prove, checked independently of the code that chose them. */
final class DenialAssertions {

  private DenialAssertions() {}

  /** owner < name < next in canonical order, the last NSEC (next = apex) wrapping around. */
  static boolean covers(NSECRecord nsec, Name name) {
    boolean afterOwner = nsec.getName().compareTo(name) < 0;
    boolean wraps = nsec.getNext().compareTo(nsec.getName()) <= 0;
    return afterOwner && (wraps || name.compareTo(nsec.getNext()) < 0);
  }

  static boolean covers(NSEC3Record nsec3, Name name, Nsec3Params params) {
    byte[] hash = Nsec3Hash.hash(name, params);
    byte[] owner = Nsec3Hash.hashOfOwner(nsec3.getName());
    byte[] next = nsec3.getNext();
    boolean afterOwner = Nsec3Hash.compare(owner, hash) < 0;
    boolean wraps = Nsec3Hash.compare(next, owner) <= 0;
    return wraps ? afterOwner || Nsec3Hash.compare(hash, next) < 0
        : afterOwner && Nsec3Hash.compare(hash, next) < 0;
  }

  static boolean matches(NSEC3Record nsec3, Name name, Nsec3Params params) {
    return java.util.Arrays.equals(Nsec3Hash.hashOfOwner(nsec3.getName()),
        Nsec3Hash.hash(name, params));
  }

  static void assertCovers(NSECRecord nsec, Name name) {
    assertTrue(covers(nsec, name), () -> nsec + " does not cover " + name);
  }
}
