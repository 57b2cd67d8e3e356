package io.dnssecproxy.loadtest;

/**
 * The header and EDNS bits every query of a run carries.
 *
 * @param recursionDesired RD, as a stub resolver sets it
 * @param dnssecOk EDNS DO: ask for RRSIGs and the AD bit
 * @param checkingDisabled CD: ask the resolver not to validate
 * @param ednsPayload advertised UDP payload size; 0 sends no OPT record at all
 */
public record QueryFlags(boolean recursionDesired, boolean dnssecOk, boolean checkingDisabled, int ednsPayload) {

  public QueryFlags {
    if (dnssecOk && ednsPayload == 0) {
      throw new IllegalArgumentException("DO needs EDNS: an EDNS payload size of 0 sends no OPT record");
    }
    if (ednsPayload != 0 && (ednsPayload < 512 || ednsPayload > 65535)) {
      throw new IllegalArgumentException("EDNS payload size must be 0 or 512..65535, not " + ednsPayload);
    }
  }
}
