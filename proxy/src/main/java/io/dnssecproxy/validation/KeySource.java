package io.dnssecproxy.validation;

import io.vertx.core.Future;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;

/**
 * Where the validator gets the DNSKEY and DS records it needs. The validator does no I/O: the
 * proxy plugs in an adapter that asks the upstream (with DO+CD), coalescing identical fetches.
 * Responses are raw; the validator verifies everything it uses.
 */
public interface KeySource {

  /** Fetches {@code name}/{@code type} (DNSKEY or DS, class IN). Fails when no answer came. */
  Future<Message> fetch(Name name, int type);
}
