package io.dnssecproxy.conformance;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;

/**
 * Reads testbound replay ({@code .rpl}) files: the unbound config up to CONFIG_END, then the
 * scenario with its RANGE blocks of canned server answers and its STEP list.
 *
 * <p>Only the parts a validating forwarder can be held to are interpreted; everything else is
 * kept verbatim (config options, unknown MATCH keywords, step kinds) so the runner can decide
 * what to do with it.
 */
public final class RplParser {

  private static final DateTimeFormatter OVERRIDE_DATE =
      DateTimeFormatter.ofPattern("yyyyMMddHHmmss");

  /** REPLY keywords that are header flags (DO is the EDNS DO bit, kept with them). */
  private static final Set<String> HEADER_FLAGS =
      Set.of("QR", "AA", "TC", "RD", "RA", "Z", "AD", "CD", "DO");

  private static final List<String> SCENARIO_KEYWORDS = List.of("SCENARIO_BEGIN",
      "SCENARIO_END", "RANGE_BEGIN", "RANGE_END", "ADDRESS", "STEP", "ENTRY_BEGIN");

  private final String fileName;
  private int lineNumber;

  private RplParser(String fileName) {
    this.fileName = fileName;
  }

  public static RplScenario parse(Path file) throws IOException {
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      return parse(file.getFileName().toString(), reader);
    }
  }

  public static RplScenario parse(String fileName, String text) throws IOException {
    return parse(fileName, new StringReader(text));
  }

  public static RplScenario parse(String fileName, Reader reader) throws IOException {
    return new RplParser(fileName).read(new BufferedReader(reader));
  }

  private RplScenario read(BufferedReader in) throws IOException {
    RplConfig config = readConfig(in);
    String title = "";
    List<RplRange> ranges = new ArrayList<>();
    List<RplStep> steps = new ArrayList<>();

    // Range being filled (null outside RANGE_BEGIN..RANGE_END).
    RangeBuilder range = null;
    // A STEP line whose kind needs the ENTRY block that follows it.
    PendingStep pendingStep = null;
    boolean scenarioStarted = false;
    boolean scenarioEnded = false;

    String raw;
    while ((raw = nextLine(in)) != null) {
      String line = RplRecordText.stripComment(raw).strip();
      if (line.isEmpty()) {
        continue;
      }
      String token = firstToken(line);
      String rest = line.substring(token.length()).strip();
      switch (scenarioKeyword(token)) {
        case "SCENARIO_BEGIN" -> {
          scenarioStarted = true;
          // The title may legitimately contain ';' (stripComment would cut it), so take raw.
          title = raw.strip().substring("SCENARIO_BEGIN".length()).strip();
        }
        case "SCENARIO_END" -> scenarioEnded = true;
        case "RANGE_BEGIN" -> {
          String[] bounds = rest.split("\\s+");
          if (bounds.length < 2) {
            throw error("RANGE_BEGIN needs two step numbers");
          }
          range = new RangeBuilder(parseInt(bounds[0]), parseInt(bounds[1]));
        }
        case "ADDRESS" -> {
          if (range == null) {
            throw error("ADDRESS outside a range");
          }
          range.addresses.add(rest);
        }
        case "RANGE_END" -> {
          if (range == null) {
            throw error("RANGE_END without RANGE_BEGIN");
          }
          ranges.add(new RplRange(range.from, range.to, range.addresses, range.entries));
          range = null;
        }
        case "STEP" -> {
          if (pendingStep != null) {
            throw error("STEP " + pendingStep.number + " " + pendingStep.kind + " has no entry");
          }
          String[] parts = rest.split("\\s+", 3);
          if (parts.length < 2) {
            throw error("STEP needs a number and a kind");
          }
          int number = parseInt(parts[0]);
          String kind = parts[1].toUpperCase(Locale.ROOT);
          String args = parts.length > 2 ? parts[2].strip() : "";
          if (RplStep.kindTakesEntry(kind)) {
            pendingStep = new PendingStep(number, kind, args);
          } else {
            steps.add(new RplStep(number, kind, args, null));
          }
        }
        case "ENTRY_BEGIN" -> {
          RplEntry entry = readEntry(in);
          if (pendingStep != null) {
            steps.add(new RplStep(pendingStep.number, pendingStep.kind, pendingStep.args, entry));
            pendingStep = null;
          } else if (range != null) {
            range.entries.add(entry);
          } else {
            throw error("ENTRY_BEGIN outside a range and not after a STEP");
          }
        }
        default -> throw error("unexpected line: " + line);
      }
    }
    if (!scenarioStarted || !scenarioEnded) {
      throw error("missing SCENARIO_BEGIN or SCENARIO_END");
    }
    if (pendingStep != null || range != null) {
      throw error("file ends inside a STEP or RANGE");
    }
    RplScenario scenario = new RplScenario(fileName, title, config, ranges, steps);
    fixDsaSignatures(scenario);
    return scenario;
  }

  // --- config ---

  private RplConfig readConfig(BufferedReader in) throws IOException {
    List<String> anchors = new ArrayList<>();
    Instant validationTime = null;
    List<Map.Entry<String, String>> serverOptions = new ArrayList<>();
    List<RplConfig.Clause> clauses = new ArrayList<>();
    String clause = null;
    List<Map.Entry<String, String>> clauseOptions = null;

    String raw;
    while ((raw = nextLine(in)) != null) {
      String line = stripConfigComment(raw).strip();
      if (line.isEmpty() || line.startsWith(";")) {
        continue;
      }
      if (line.equals("CONFIG_END")) {
        if (clause != null && !clause.equals("server")) {
          clauses.add(new RplConfig.Clause(clause, clauseOptions));
        }
        return new RplConfig(anchors, validationTime, serverOptions, clauses);
      }
      int colon = line.indexOf(':');
      if (colon < 0) {
        throw error("config line without ':': " + line);
      }
      String key = line.substring(0, colon).strip();
      String value = unquote(line.substring(colon + 1).strip());
      if (value.isEmpty() && !key.contains(" ")) {
        // A clause header such as "server:" or "stub-zone:".
        if (clause != null && !clause.equals("server")) {
          clauses.add(new RplConfig.Clause(clause, clauseOptions));
        }
        clause = key;
        clauseOptions = new ArrayList<>();
        continue;
      }
      if (clause == null) {
        throw error("config option before any clause: " + line);
      }
      if (!clause.equals("server")) {
        clauseOptions.add(Map.entry(key, value));
        continue;
      }
      serverOptions.add(Map.entry(key, value));
      if (key.equals("trust-anchor")) {
        anchors.add(value);
      } else if (key.equals("val-override-date")) {
        validationTime = parseOverrideDate(value);
      }
    }
    throw error("no CONFIG_END");
  }

  private Instant parseOverrideDate(String value) throws RplParseException {
    try {
      return LocalDateTime.parse(value, OVERRIDE_DATE).toInstant(ZoneOffset.UTC);
    } catch (DateTimeParseException e) {
      throw error("val-override-date is not YYYYMMDDhhmmss: " + value);
    }
  }

  /** Unbound config comments start with '#' (outside quotes). */
  private static String stripConfigComment(String line) {
    boolean quoted = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (c == '"') {
        quoted = !quoted;
      } else if (c == '#' && !quoted) {
        return line.substring(0, i);
      }
    }
    return line;
  }

  private static String unquote(String value) {
    if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
      return value.substring(1, value.length() - 1);
    }
    return value;
  }

  // --- entries ---

  private RplEntry readEntry(BufferedReader in) throws IOException {
    RplEntry entry = new RplEntry(fileName, lineNumber);
    int section = -1;
    String raw;
    while ((raw = nextLine(in)) != null) {
      String line = RplRecordText.stripComment(raw).strip();
      if (line.isEmpty()) {
        continue;
      }
      String keyword = firstToken(line);
      String rest = line.substring(keyword.length()).strip();
      switch (keyword) {
        case "ENTRY_END" -> {
          return entry;
        }
        case "MATCH" -> words(rest).forEach(entry::addMatch);
        case "ADJUST" -> words(rest).forEach(entry::addAdjust);
        case "REPLY" -> readReply(entry, rest);
        case "SECTION" -> section = sectionNumber(rest);
        default -> {
          if (section < 0) {
            throw error("record before any SECTION: " + line);
          }
          String text = joinContinuationLines(in, line);
          try {
            if (section == Section.QUESTION) {
              entry.setQuestion(RplRecordText.parseQuestion(text));
            } else {
              entry.addRecord(section, RplRecordText.parseRecord(text));
            }
          } catch (IOException e) {
            throw error(e.getMessage(), e);
          }
        }
      }
    }
    throw error("file ends inside an entry");
  }

  private void readReply(RplEntry entry, String rest) throws RplParseException {
    for (String word : words(rest).toList()) {
      String upper = word.toUpperCase(Locale.ROOT);
      if (HEADER_FLAGS.contains(upper)) {
        entry.addFlag(upper);
      } else if (Rcode.value(upper) >= 0) {
        entry.setRcode(Rcode.value(upper));
      } else {
        throw error("unknown REPLY keyword: " + word);
      }
    }
  }

  private int sectionNumber(String name) throws RplParseException {
    return switch (name.toUpperCase(Locale.ROOT)) {
      case "QUESTION" -> Section.QUESTION;
      case "ANSWER" -> Section.ANSWER;
      case "AUTHORITY" -> Section.AUTHORITY;
      case "ADDITIONAL" -> Section.ADDITIONAL;
      default -> throw error("unsupported SECTION " + name);
    };
  }

  /** Appends following lines while a '(' is still open, as zone files allow. */
  private String joinContinuationLines(BufferedReader in, String first) throws IOException {
    StringBuilder text = new StringBuilder(first);
    int balance = RplRecordText.parenthesisBalance(first);
    while (balance > 0) {
      String raw = nextLine(in);
      if (raw == null) {
        throw error("file ends inside parentheses");
      }
      String more = RplRecordText.stripComment(raw);
      balance += RplRecordText.parenthesisBalance(more);
      text.append(' ').append(more.strip());
    }
    return text.toString();
  }

  // --- post-processing ---

  private static void fixDsaSignatures(RplScenario scenario) {
    List<RplEntry> entries = Stream.concat(
        scenario.rangeEntries(),
        scenario.steps().stream().map(RplStep::entry).filter(e -> e != null)).toList();
    List<Record> all = new ArrayList<>();
    for (RplEntry e : entries) {
      for (int s = Section.ANSWER; s <= Section.ADDITIONAL; s++) {
        all.addAll(e.section(s));
      }
    }
    DsaSignatureFormat format = new DsaSignatureFormat(all);
    for (RplEntry e : entries) {
      for (int s = Section.ANSWER; s <= Section.ADDITIONAL; s++) {
        e.replaceRecords(s, e.section(s).stream().map(format::normalize).toList());
      }
    }
  }

  // --- helpers ---

  private String nextLine(BufferedReader in) throws IOException {
    String line = in.readLine();
    if (line != null) {
      lineNumber++;
    }
    return line;
  }

  /**
   * Testbound recognises keywords by prefix (two upstream files say {@code ENTRY_BEGING} and
   * testbound reads them fine), so do the same for the scenario-level keywords.
   */
  private static String scenarioKeyword(String token) {
    for (String keyword : SCENARIO_KEYWORDS) {
      if (token.startsWith(keyword)) {
        return keyword;
      }
    }
    return token;
  }

  private static String firstToken(String line) {
    int space = 0;
    while (space < line.length() && !Character.isWhitespace(line.charAt(space))) {
      space++;
    }
    return line.substring(0, space);
  }

  private static Stream<String> words(String text) {
    return Stream.of(text.split("\\s+")).filter(w -> !w.isEmpty());
  }

  private int parseInt(String text) throws RplParseException {
    try {
      return Integer.parseInt(text);
    } catch (NumberFormatException e) {
      throw error("not a number: " + text);
    }
  }

  private RplParseException error(String message) {
    return new RplParseException(fileName + ":" + lineNumber + ": " + message, null);
  }

  private RplParseException error(String message, Throwable cause) {
    return new RplParseException(fileName + ":" + lineNumber + ": " + message, cause);
  }

  /** A replay file this parser cannot read; the message names file and line. */
  public static final class RplParseException extends IOException {
    RplParseException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private record PendingStep(int number, String kind, String args) {}

  private static final class RangeBuilder {
    final int from;
    final int to;
    final List<String> addresses = new ArrayList<>();
    final List<RplEntry> entries = new ArrayList<>();

    RangeBuilder(int from, int to) {
      this.from = from;
      this.to = to;
    }
  }
}
