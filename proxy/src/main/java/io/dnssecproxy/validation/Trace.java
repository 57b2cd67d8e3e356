package io.dnssecproxy.validation;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.xbill.DNS.Name;

/**
 * What the validator did for one answer, step by step, zone by zone: the raw material of the
 * {@code check} command's chain-of-trust tree. Validations that nobody traces use {@link #OFF},
 * which records nothing.
 */
public class Trace {

  /** One step: the zone it concerns, what was looked at, what came of it. */
  public record Step(Name zone, String subject, String detail, Outcome outcome) {}

  /** How a step ended. */
  public enum Outcome {
    OK,
    INSECURE,
    FAILED,
    INFO
  }

  /** Records nothing; shared by every untraced validation. */
  public static final Trace OFF = new Trace() {
    @Override
    void add(Name zone, String subject, String detail, Outcome outcome) {}

    @Override
    boolean on() {
      return false;
    }
  };

  /** False for {@link #OFF}: callers skip building step texts nobody will read (hot path). */
  boolean on() {
    return true;
  }

  private final List<Step> steps = new ArrayList<>();

  void add(Name zone, String subject, String detail, Outcome outcome) {
    steps.add(new Step(zone, subject, detail, outcome));
  }

  void ok(Name zone, String subject, String detail) {
    add(zone, subject, detail, Outcome.OK);
  }

  void info(Name zone, String subject, String detail) {
    add(zone, subject, detail, Outcome.INFO);
  }

  void verdict(Name zone, String subject, Verdict v) {
    Outcome o = switch (v.status()) {
      case SECURE -> Outcome.OK;
      case INSECURE, INDETERMINATE -> Outcome.INSECURE;
      case BOGUS -> Outcome.FAILED;
    };
    add(zone, subject, v.reasonText().isEmpty() ? v.status().tag() : v.reasonText(), o);
  }

  public List<Step> steps() {
    return Collections.unmodifiableList(steps);
  }
}
