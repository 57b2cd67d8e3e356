package io.dnssecproxy.conformance;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.Master;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * Turns the zone-file-ish record lines of replay files into dnsjava records.
 *
 * <p>Replay files write absolute names without {@code $ORIGIN}, may leave out TTL and class,
 * put {@code ;} comments after records, wrap rdata in parentheses (possibly across lines), and
 * sometimes use algorithm mnemonics where dnsjava expects numbers (e.g. {@code DS 30899 RSASHA1
 * 1 ...}).
 */
final class RplRecordText {

  /** TTL given to records that omit it; TTLs are never compared, so any value will do. */
  static final long DEFAULT_TTL = 3600;

  private RplRecordText() {}

  /** The line without a trailing {@code ;} comment; semicolons inside quotes are kept. */
  static String stripComment(String line) {
    boolean quoted = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (c == '\\') {
        i++;
      } else if (c == '"') {
        quoted = !quoted;
      } else if (c == ';' && !quoted) {
        return line.substring(0, i);
      }
    }
    return line;
  }

  /** Opening minus closing parentheses outside quotes: positive while a record continues. */
  static int parenthesisBalance(String line) {
    boolean quoted = false;
    int balance = 0;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (c == '\\') {
        i++;
      } else if (c == '"') {
        quoted = !quoted;
      } else if (!quoted && c == '(') {
        balance++;
      } else if (!quoted && c == ')') {
        balance--;
      }
    }
    return balance;
  }

  /** Parses one complete record (comments already stripped, continuation lines joined). */
  static Record parseRecord(String text) throws IOException {
    // Leading blanks would make Master reuse the previous owner name; replay files always
    // spell the owner out, so they are just indentation here.
    String trimmed = text.strip();
    try {
      return parseWithMaster(trimmed);
    } catch (IOException | RuntimeException firstFailure) {
      String numeric = algorithmMnemonicsToNumbers(trimmed);
      if (numeric.equals(trimmed)) {
        throw new IOException("cannot parse record: " + trimmed, firstFailure);
      }
      try {
        return parseWithMaster(numeric);
      } catch (IOException | RuntimeException secondFailure) {
        secondFailure.addSuppressed(firstFailure);
        throw new IOException("cannot parse record: " + trimmed, secondFailure);
      }
    }
  }

  /** Parses a question line: {@code name [class] type}. */
  static Record parseQuestion(String text) throws TextParseException {
    String[] tokens = text.strip().split("\\s+");
    if (tokens.length < 2 || tokens.length > 3) {
      throw new TextParseException("question needs 'name [class] type': " + text);
    }
    Name name = Name.fromString(tokens[0], Name.root);
    int dclass = tokens.length == 3 ? DClass.value(tokens[1]) : DClass.IN;
    int type = Type.value(tokens[tokens.length - 1], true);
    if (dclass < 0 || type < 0) {
      throw new TextParseException("unknown class or type in question: " + text);
    }
    return Record.newRecord(name, type, dclass);
  }

  private static Record parseWithMaster(String text) throws IOException {
    try (Master master = new Master(
        new ByteArrayInputStream((text + "\n").getBytes(StandardCharsets.UTF_8)),
        Name.root, DEFAULT_TTL)) {
      Record record = master.nextRecord();
      if (record == null) {
        throw new TextParseException("no record in: " + text);
      }
      return record;
    }
  }

  /**
   * Replaces tokens that are DNSSEC algorithm mnemonics (RSASHA1, DSA, ...) with their numbers.
   * Only tried after a parse failure, so owner names that happen to look like a mnemonic are
   * left alone in records that parse anyway.
   */
  private static String algorithmMnemonicsToNumbers(String text) {
    String[] tokens = text.split("\\s+");
    List<String> out = new ArrayList<>(tokens.length);
    for (String token : tokens) {
      boolean numeric = token.chars().allMatch(Character::isDigit);
      int algorithm = numeric ? -1 : DNSSEC.Algorithm.value(token);
      out.add(algorithm >= 0 ? Integer.toString(algorithm) : token);
    }
    return String.join(" ", out);
  }
}
