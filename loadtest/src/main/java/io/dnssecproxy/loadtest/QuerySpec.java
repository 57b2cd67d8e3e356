package io.dnssecproxy.loadtest;

import org.xbill.DNS.Name;
import org.xbill.DNS.Type;

/** One line of a query file: an absolute name and a query type. */
public record QuerySpec(Name name, int type) {

  @Override
  public String toString() {
    return name + " " + Type.string(type);
  }
}
