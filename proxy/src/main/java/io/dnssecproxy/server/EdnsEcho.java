package io.dnssecproxy.server;

import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.OPTRecord;

/** The OPT record this server puts in answers to clients that sent one. */
final class EdnsEcho {

  /**
   * UDP payload size we advertise to clients: the DNS Flag Day 2020 value, which avoids IP
   * fragmentation on common paths.
   */
  static final int ADVERTISED_UDP_PAYLOAD = 1232;

  private EdnsEcho() {}

  /** Version 0, our payload size, and the client's DO bit echoed (RFC 3225 §3). */
  static OPTRecord responseOpt(OPTRecord clientOpt, int extendedRcode) {
    return new OPTRecord(ADVERTISED_UDP_PAYLOAD, extendedRcode, 0, clientOpt.getFlags() & ExtendedFlags.DO);
  }
}
