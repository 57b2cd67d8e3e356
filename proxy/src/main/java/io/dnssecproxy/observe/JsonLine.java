package io.dnssecproxy.observe;

import java.time.Instant;
import java.util.Collection;
import java.util.function.BiConsumer;

/** Builds one flat JSON log line that starts with "time" and "event", like every line the proxy writes. */
public final class JsonLine {

  private final StringBuilder sb = new StringBuilder(160);

  public JsonLine(Instant time, String event) {
    sb.append("{\"time\":");
    Json.appendString(sb, time.toString());
    field("event", event);
  }

  /** A string field; null becomes JSON null. */
  public JsonLine field(String name, String value) {
    key(name);
    if (value == null) {
      sb.append("null");
    } else {
      Json.appendString(sb, value);
    }
    return this;
  }

  public JsonLine field(String name, long value) {
    key(name);
    sb.append(value);
    return this;
  }

  /** An array of strings, in the collection's order. */
  public JsonLine field(String name, Collection<String> values) {
    return array(name, values, Json::appendString);
  }

  /** An array of numbers, in the collection's order. */
  public JsonLine numbers(String name, Collection<? extends Number> values) {
    return array(name, values, (b, v) -> b.append(v.longValue()));
  }

  private <T> JsonLine array(String name, Collection<T> values, BiConsumer<StringBuilder, ? super T> element) {
    key(name);
    sb.append('[');
    boolean first = true;
    for (T v : values) {
      if (!first) {
        sb.append(',');
      }
      element.accept(sb, v);
      first = false;
    }
    sb.append(']');
    return this;
  }

  private void key(String name) {
    sb.append(",\"").append(name).append("\":");
  }

  @Override
  public String toString() {
    return sb + "}";
  }
}
