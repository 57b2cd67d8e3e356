package io.dnssecproxy.conformance;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;

/**
 * One ENTRY_BEGIN..ENTRY_END block of a testbound replay file: a canned message plus the MATCH,
 * ADJUST and REPLY keywords that say how testbound uses it. The same shape serves three roles:
 * an authoritative server's answer (inside a RANGE), the query a STEP sends, and the answer a
 * STEP checks.
 */
public final class RplEntry {

  private final String file;
  private final int line;
  private final Set<String> match = new TreeSet<>();
  private final Set<String> adjust = new TreeSet<>();
  private final Set<String> flags = new TreeSet<>();
  private int rcode = -1;
  private Record question;
  private final List<List<Record>> sections = List.of(
      new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>());

  RplEntry(String file, int line) {
    this.file = file;
    this.line = line;
  }

  /** Where the entry starts, for messages that point a reader at the file. */
  public String location() {
    return file + ":" + line;
  }

  /** MATCH keywords, lower case (e.g. "opcode", "qtype", "qname", "subdomain", "all", "tcp"). */
  public Set<String> match() {
    return Collections.unmodifiableSet(match);
  }

  /** ADJUST keywords, lower case (e.g. "copy_id", "copy_query"). */
  public Set<String> adjust() {
    return Collections.unmodifiableSet(adjust);
  }

  /** REPLY header flags and the pseudo-flag DO, upper case; the rcode is kept apart. */
  public Set<String> flags() {
    return Collections.unmodifiableSet(flags);
  }

  public boolean hasFlag(String flag) {
    return flags.contains(flag.toUpperCase(Locale.ROOT));
  }

  /** The REPLY rcode, or NOERROR when the entry names none (query entries never do). */
  public int rcode() {
    return rcode < 0 ? Rcode.NOERROR : rcode;
  }

  public boolean hasExplicitRcode() {
    return rcode >= 0;
  }

  /** The question (a record with no rdata), or null when the entry has none. */
  public Record question() {
    return question;
  }

  public Name qname() {
    return question == null ? null : question.getName();
  }

  public int qtype() {
    return question == null ? -1 : question.getType();
  }

  /** Records of ANSWER, AUTHORITY or ADDITIONAL (dnsjava {@link Section} numbers). */
  public List<Record> section(int section) {
    if (section == Section.QUESTION) {
      return question == null ? List.of() : List.of(question);
    }
    return Collections.unmodifiableList(sections.get(section));
  }

  // --- mutators used by the parser (and the DSA signature fix-up) only ---

  void addMatch(String keyword) {
    match.add(keyword.toLowerCase(Locale.ROOT));
  }

  void addAdjust(String keyword) {
    adjust.add(keyword.toLowerCase(Locale.ROOT));
  }

  void addFlag(String flag) {
    flags.add(flag.toUpperCase(Locale.ROOT));
  }

  void setRcode(int rcode) {
    this.rcode = rcode;
  }

  void setQuestion(Record question) {
    this.question = question;
  }

  void addRecord(int section, Record record) {
    sections.get(section).add(record);
  }

  void replaceRecords(int section, List<Record> records) {
    sections.get(section).clear();
    sections.get(section).addAll(records);
  }

  @Override
  public String toString() {
    return "entry@" + location() + " " + (question == null ? "-" : question.getName() + "/"
        + org.xbill.DNS.Type.string(question.getType())) + " " + flags + " "
        + Rcode.string(rcode());
  }
}
