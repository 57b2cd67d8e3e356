package io.dnssecproxy.cache;

import org.xbill.DNS.Name;

/** The normalized question an answer is cached under: lower-cased name, type, class. */
public record CacheKey(Name name, int type, int dclass) {
  public CacheKey {
    name = name.canonicalize();
  }
}
