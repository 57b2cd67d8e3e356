package io.dnssecproxy.inject;

/** RFC 6901 reference tokens: an annotation key such as prometheus.io/port becomes prometheus.io~1port. */
final class JsonPointer {

  private JsonPointer() {}

  static String escape(String token) {
    return token.replace("~", "~0").replace("/", "~1");
  }
}
