package io.dnssecproxy.lab;

import java.util.List;
import org.xbill.DNS.RRset;

/**
 * The outcome of resolving a question through the test zones, before it is put in a message.
 *
 * @param rcode the rcode of the last name in the alias chain
 * @param answer the alias chain and final answer, each RRset with its RRSIGs
 * @param authority wildcard proofs of positive steps, then SOA and proofs of a negative end
 */
public record Resolution(int rcode, List<RRset> answer, List<RRset> authority) {

  public Resolution {
    answer = List.copyOf(answer);
    authority = List.copyOf(authority);
  }
}
