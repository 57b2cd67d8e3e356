package io.dnssecproxy.policy;

import java.util.regex.Pattern;
import org.xbill.DNS.Name;
import org.xbill.DNS.TextParseException;

/**
 * The rule for a domain an operator names at run time (control API, policy directory):
 * host-name style labels only, so a typo or a stray character is refused instead of becoming a
 * name nobody queries. The root cannot be an insecure domain: that would switch validation off,
 * which is what permissive mode is for.
 */
public final class DomainNames {

  private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9_-]{1,63}");

  private DomainNames() {}

  /** @throws IllegalArgumentException with a one-line message naming the text, also for the root */
  public static Name parseInsecureDomain(String text) {
    Name n = parse(text);
    if (n.equals(Name.root)) {
      throw new IllegalArgumentException("the root cannot be an insecure domain (it would turn validation off; use mode permissive)");
    }
    return n;
  }

  /** Any domain name by the same rule, the root ('.') included. */
  public static Name parse(String text) {
    String s = text.trim();
    if (s.isEmpty()) {
      throw new IllegalArgumentException("empty domain name");
    }
    if (s.equals(".")) {
      return Name.root;
    }
    String body = s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    if (body.length() > 253) {
      throw new IllegalArgumentException("'" + abbreviate(s) + "' is longer than 253 characters");
    }
    for (String label : body.split("\\.", -1)) {
      if (!LABEL.matcher(label).matches()) {
        throw new IllegalArgumentException("'" + abbreviate(s) + "' is not a domain name (labels are 1-63 letters, digits, '-' or '_')");
      }
    }
    try {
      return Name.fromString(body + ".").canonicalize();
    } catch (TextParseException e) {
      throw new IllegalArgumentException("'" + abbreviate(s) + "' is not a domain name (" + e.getMessage() + ")");
    }
  }

  /** Keeps error lines short when someone pastes a whole file into a name. */
  private static String abbreviate(String s) {
    String oneLine = s.replaceAll("\\p{Cntrl}", "?");
    return oneLine.length() <= 80 ? oneLine : oneLine.substring(0, 77) + "...";
  }
}
