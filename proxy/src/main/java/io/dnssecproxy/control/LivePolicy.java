package io.dnssecproxy.control;

import io.dnssecproxy.observe.ChangeLog;
import io.dnssecproxy.observe.ChangeSource;
import io.dnssecproxy.policy.Mode;
import io.dnssecproxy.policy.ModeSwitch;
import io.dnssecproxy.validation.NegativeTrustAnchors;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReference;
import org.xbill.DNS.Name;

/**
 * The mode and insecure domains in force, and the one place they change at run time (control
 * API and policy directory). Every change takes effect at once, is logged, and a change of
 * insecure domains forgets cached verdicts, which it makes wrong.
 *
 * <p>Last writer wins, per setting: an API change holds until the policy file for that setting
 * changes; a policy file change replaces the setting with configuration plus file.
 */
public final class LivePolicy {

  private final ModeSwitch mode;
  private final AtomicReference<NegativeTrustAnchors> insecure;
  private final Mode configuredMode;
  private final NegativeTrustAnchors configuredDomains;
  private final Runnable forgetVerdicts;
  private final ChangeLog log;

  /**
   * @param configuredMode the mode from flags, environment or file: in force when no policy file overrides it
   * @param configuredDomains defaults plus --insecure-domain: the floor policy files add to
   * @param forgetVerdicts clears the key and answer caches
   */
  public LivePolicy(ModeSwitch mode, AtomicReference<NegativeTrustAnchors> insecure, Mode configuredMode,
      NegativeTrustAnchors configuredDomains, Runnable forgetVerdicts, ChangeLog log) {
    this.mode = mode;
    this.insecure = insecure;
    this.configuredMode = configuredMode;
    this.configuredDomains = configuredDomains;
    this.forgetVerdicts = forgetVerdicts;
    this.log = log;
  }

  public Mode mode() {
    return mode.get();
  }

  /** The insecure domains in force, sorted. */
  public Set<Name> insecureDomains() {
    return new TreeSet<>(insecure.get().domains());
  }

  /** @return the mode that was in force before */
  public synchronized Mode setMode(Mode next, ChangeSource source) {
    Mode previous = mode.set(next);
    if (previous != next) {
      log.modeChanged(source, previous.tag(), next.tag());
    }
    return previous;
  }

  /** @return whether the name was not already in the set */
  public synchronized boolean addInsecureDomain(Name name, ChangeSource source) {
    Set<Name> next = insecureDomains();
    return next.add(name.canonicalize()) && replaceDomains(next, source);
  }

  /** @return whether the name was in the set (a name only covered by a parent stays covered) */
  public synchronized boolean removeInsecureDomain(Name name, ChangeSource source) {
    Set<Name> next = insecureDomains();
    return next.remove(name.canonicalize()) && replaceDomains(next, source);
  }

  /** The policy directory's mode file changed; empty (no file) brings back the configured mode. */
  public synchronized void applyPolicyMode(java.util.Optional<Mode> fromFile) {
    setMode(fromFile.orElse(configuredMode), ChangeSource.POLICY_DIR);
  }

  /** The policy directory's domain file changed: configured domains plus these, API changes dropped. */
  public synchronized void applyPolicyDomains(Collection<Name> fromFile) {
    replaceDomains(union(configuredDomains, fromFile), ChangeSource.POLICY_DIR);
  }

  /** The domains a policy file asks for on top of the configured ones; for start-up. */
  public static Set<Name> union(NegativeTrustAnchors configured, Collection<Name> extra) {
    Set<Name> all = new TreeSet<>(configured.domains());
    extra.forEach(n -> all.add(n.canonicalize()));
    return all;
  }

  private boolean replaceDomains(Set<Name> next, ChangeSource source) {
    Set<Name> current = insecureDomains();
    if (current.equals(next)) {
      return false;
    }
    insecure.set(NegativeTrustAnchors.of(next));
    forgetVerdicts.run();
    log.insecureDomainsChanged(source, names(difference(next, current)), names(difference(current, next)));
    return true;
  }

  private static Set<Name> difference(Set<Name> a, Set<Name> b) {
    Set<Name> d = new TreeSet<>(a);
    d.removeAll(b);
    return d;
  }

  private static List<String> names(Collection<Name> names) {
    List<String> out = new ArrayList<>();
    names.forEach(n -> out.add(n.toString()));
    return out;
  }
}
