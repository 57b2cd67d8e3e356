package io.dnssecproxy.loadtest;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Parses a sweep such as {@code 1000,5000,20k}: positive rates in queries per second, k = 1000. */
public final class RateList {

  /** Far above what one client box can send; a typo such as an extra zero stops here. */
  static final double MAX_RATE = 2_000_000;

  private RateList() {}

  public static List<Double> parse(String text) {
    List<Double> out = new ArrayList<>();
    for (String part : text.split(",")) {
      String p = part.strip().toLowerCase(Locale.ROOT);
      if (p.isEmpty()) {
        throw new IllegalArgumentException("empty rate in '" + text + "'");
      }
      double factor = 1;
      if (p.endsWith("k")) {
        factor = 1000;
        p = p.substring(0, p.length() - 1);
      }
      double rate;
      try {
        rate = Double.parseDouble(p) * factor;
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("not a rate: '" + part.strip() + "'");
      }
      if (!(rate > 0) || rate > MAX_RATE) {
        throw new IllegalArgumentException("rate " + part.strip() + " is outside 0 < rate <= " + (long) MAX_RATE);
      }
      out.add(rate);
    }
    return out;
  }
}
