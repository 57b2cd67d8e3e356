package io.dnssecproxy.validation;

import org.xbill.DNS.Name;
import org.xbill.DNS.TextParseException;

/** Small name computations the proofs need and dnsjava does not offer. */
final class Names {

  private static final Name WILDCARD = Name.fromConstantString("*");

  private Names() {}

  /** The longest name that is an ancestor-or-self of both. */
  static Name commonAncestor(Name a, Name b) {
    int max = Math.min(a.labels(), b.labels());
    for (int k = max; k > 1; k--) {
      Name x = suffix(a, k);
      if (x.equals(suffix(b, k))) {
        return x;
      }
    }
    return Name.root;
  }

  /** The last {@code labels} labels of {@code name} (labels counts the root label). */
  static Name suffix(Name name, int labels) {
    return labels >= name.labels() ? name : new Name(name, name.labels() - labels);
  }

  /** The parent of a name; the root is its own parent. */
  static Name parent(Name name) {
    return name.labels() <= 1 ? name : new Name(name, 1);
  }

  /** The ancestor of {@code name} one label below {@code ancestor}. */
  static Name childToward(Name name, Name ancestor) {
    return suffix(name, ancestor.labels() + 1);
  }

  /** {@code *.name}. */
  static Name wildcardOf(Name name) {
    try {
      return Name.concatenate(WILDCARD, name);
    } catch (org.xbill.DNS.NameTooLongException e) {
      return null;
    }
  }

  /** True when a is strictly below b. */
  static boolean strictlyBelow(Name a, Name b) {
    return a.labels() > b.labels() && a.subdomain(b);
  }

  static Name parse(String s) {
    try {
      return Name.fromString(s, Name.root);
    } catch (TextParseException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }
}
