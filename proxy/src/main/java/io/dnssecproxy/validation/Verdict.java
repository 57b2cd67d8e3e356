package io.dnssecproxy.validation;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * What the validator concluded about one answer: the status, the RFC 8914 code that fits it
 * best ({@link Ede#NONE} when there is nothing to say) and a reason chain a human can follow
 * (outermost context first, e.g. "www.example. A" then "zone example.: RRSIG expired ...").
 */
public record Verdict(SecurityStatus status, int ede, List<String> reasons) {

  public Verdict {
    reasons = List.copyOf(reasons);
  }

  /** One instance for every secure answer: the cache holds thousands of them. */
  private static final Verdict SECURE = new Verdict(SecurityStatus.SECURE, Ede.NONE, List.of());

  public static Verdict secure() {
    return SECURE;
  }

  public static Verdict insecure(String reason) {
    return new Verdict(SecurityStatus.INSECURE, Ede.NONE, List.of(reason));
  }

  public static Verdict insecure(int ede, String reason) {
    return new Verdict(SecurityStatus.INSECURE, ede, List.of(reason));
  }

  public static Verdict indeterminate(String reason) {
    return new Verdict(SecurityStatus.INDETERMINATE, Ede.NONE, List.of(reason));
  }

  public static Verdict bogus(int ede, String reason) {
    return new Verdict(SecurityStatus.BOGUS, ede, List.of(reason));
  }

  public boolean isSecure() {
    return status == SecurityStatus.SECURE;
  }

  public boolean isBogus() {
    return status == SecurityStatus.BOGUS;
  }

  /**
   * This verdict with a context line put in front of its reasons. A verdict without reasons (a
   * secure one) stays as it is: a context line that explains nothing would only be kept, with
   * the answer, in the cache.
   */
  public Verdict within(String context) {
    return reasons.isEmpty() ? this : withContext(context);
  }

  /** As {@link #within(String)}, building the context line only when there are reasons to put it before. */
  public Verdict within(Supplier<String> context) {
    return reasons.isEmpty() ? this : withContext(context.get());
  }

  private Verdict withContext(String context) {
    List<String> r = new ArrayList<>(reasons.size() + 1);
    r.add(context);
    r.addAll(reasons);
    return new Verdict(status, ede, r);
  }

  /**
   * The verdict of two facts that must both hold: the worse status wins, and its code and
   * reasons with it. Equal statuses keep the first code and join the reasons.
   */
  public Verdict and(Verdict other) {
    if (other.status.ordinal() > status.ordinal()) {
      return other;
    }
    if (other.status.ordinal() < status.ordinal() || other.reasons.isEmpty()) {
      return this;
    }
    List<String> r = new ArrayList<>(reasons);
    r.addAll(other.reasons);
    return new Verdict(status, ede == Ede.NONE ? other.ede : ede, r);
  }

  /** The reasons joined into one line, for logs and EDE extra text. */
  public String reasonText() {
    return String.join(": ", reasons);
  }

  @Override
  public String toString() {
    return status + (ede == Ede.NONE ? "" : " ede=" + ede) + (reasons.isEmpty() ? "" : " " + reasonText());
  }
}
