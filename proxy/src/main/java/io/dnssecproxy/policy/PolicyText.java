package io.dnssecproxy.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.xbill.DNS.Name;

/**
 * Parses the policy files. Both allow {@code #} comments. {@code mode} holds one word, enforce or
 * permissive (empty means no override); {@code insecure-domains} holds names separated by
 * newlines, commas or spaces. Errors are one line, with the line number where it helps.
 */
public final class PolicyText {

  private PolicyText() {}

  /** @throws IllegalArgumentException for anything but one known mode word */
  public static Optional<Mode> mode(String text) {
    List<String> words = words(text);
    if (words.isEmpty()) {
      return Optional.empty();
    }
    if (words.size() > 1) {
      throw new IllegalArgumentException("expected one word, enforce or permissive, found " + words.size());
    }
    return Optional.of(Mode.parse(words.get(0)));
  }

  /** @throws IllegalArgumentException at the first name that is not a domain name */
  public static List<Name> insecureDomains(String text) {
    List<Name> names = new ArrayList<>();
    String[] lines = text.split("\r?\n", -1);
    for (int i = 0; i < lines.length; i++) {
      for (String word : words(lines[i])) {
        try {
          names.add(DomainNames.parseInsecureDomain(word));
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException("line " + (i + 1) + ": " + e.getMessage());
        }
      }
    }
    return names;
  }

  /** Policy parsed from a snapshot; which file failed is in the message. */
  public static Policy parse(PolicyFiles files) {
    Optional<Mode> mode;
    try {
      mode = files.mode().flatMap(PolicyText::mode);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(PolicyFiles.MODE + ": " + e.getMessage());
    }
    try {
      return new Policy(mode, files.insecureDomains().map(PolicyText::insecureDomains).orElse(List.of()));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(PolicyFiles.INSECURE_DOMAINS + ": " + e.getMessage());
    }
  }

  /** The policy a directory asks for: a mode override (if any) and domains added to the configured ones. */
  public record Policy(Optional<Mode> mode, List<Name> insecureDomains) {
    public Policy {
      insecureDomains = List.copyOf(insecureDomains);
    }
  }

  private static List<String> words(String text) {
    List<String> out = new ArrayList<>();
    for (String line : text.split("\r?\n")) {
      int hash = line.indexOf('#');
      String content = hash < 0 ? line : line.substring(0, hash);
      for (String w : content.split("[\\s,]+")) {
        if (!w.isEmpty()) {
          out.add(w);
        }
      }
    }
    return out;
  }
}
