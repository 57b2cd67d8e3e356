package io.dnssecproxy;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SimpleResolver;

/** A blocking UDP DNS client for load runs against a proxy on 127.0.0.1. */
final class LoadClient {

  private final SimpleResolver resolver;

  LoadClient(int port, Duration timeout) {
    try {
      resolver = new SimpleResolver(new InetSocketAddress("127.0.0.1", port));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    resolver.setTimeout(timeout);
    resolver.setEDNS(0, 1232, ExtendedFlags.DO, List.of());
  }

  /** The answer, or null on a timeout or socket error. */
  Message ask(Name name, int type) {
    try {
      return resolver.send(Message.newQuery(Record.newRecord(name, type, DClass.IN)));
    } catch (Exception e) {
      return null;
    }
  }

  /** Resident set size of this JVM in kB, from /proc/self/status (-1 where there is none). */
  static long rssKb() {
    try {
      for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (Exception e) {
      return -1;
    }
    return -1;
  }
}
