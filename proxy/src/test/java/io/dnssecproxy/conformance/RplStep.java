package io.dnssecproxy.conformance;

/**
 * One STEP line of the scenario, with its entry when the step kind carries one.
 *
 * @param kind the step keyword as written, e.g. QUERY, CHECK_ANSWER, TIME_PASSES, REPLY,
 *     CHECK_OUT_QUERY, TRAFFIC
 * @param arguments whatever followed the kind on the STEP line (e.g. "ELAPSE 10"), trimmed
 * @param entry the ENTRY block following the step, or null
 */
public record RplStep(int number, String kind, String arguments, RplEntry entry) {

  public static final String QUERY = "QUERY";
  public static final String CHECK_ANSWER = "CHECK_ANSWER";
  public static final String TIME_PASSES = "TIME_PASSES";
  public static final String REPLY = "REPLY";
  public static final String CHECK_OUT_QUERY = "CHECK_OUT_QUERY";

  /** Whether testbound expects an ENTRY block right after a step of this kind. */
  static boolean kindTakesEntry(String kind) {
    return switch (kind) {
      case QUERY, CHECK_ANSWER, REPLY, CHECK_OUT_QUERY -> true;
      default -> false;
    };
  }
}
