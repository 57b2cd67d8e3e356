package io.dnssecproxy.config;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;

/** Parses a validation time: Unix seconds, ISO-8601 instant/date-time/date, or DNSSEC's YYYYMMDDHHmmSS. */
public final class TimeParser {

  private static final DateTimeFormatter DNSSEC = DateTimeFormatter.ofPattern("uuuuMMddHHmmss").withResolverStyle(ResolverStyle.STRICT);

  private TimeParser() {}

  /** @throws IllegalArgumentException with a message fit for an operator */
  public static Instant parse(String text) {
    String s = text.trim();
    if (s.matches("\\d{14}")) {
      try {
        return LocalDateTime.parse(s, DNSSEC).toInstant(ZoneOffset.UTC);
      } catch (DateTimeParseException e) {
        throw notATime(text);
      }
    }
    if (s.matches("-?\\d{1,12}")) {
      return Instant.ofEpochSecond(Long.parseLong(s));
    }
    try {
      return Instant.parse(s);
    } catch (DateTimeParseException ignored) {
      // try the other ISO forms
    }
    try {
      return OffsetDateTime.parse(s).toInstant();
    } catch (DateTimeParseException ignored) {
      // try the other ISO forms
    }
    try {
      return LocalDateTime.parse(s).toInstant(ZoneOffset.UTC);
    } catch (DateTimeParseException ignored) {
      // try a plain date
    }
    try {
      return LocalDate.parse(s).atStartOfDay().toInstant(ZoneOffset.UTC);
    } catch (DateTimeParseException e) {
      throw notATime(text);
    }
  }

  private static IllegalArgumentException notATime(String text) {
    return new IllegalArgumentException(
        "'" + text + "' is not a time (use Unix seconds, ISO-8601 like 2026-06-01T00:00:00Z, or YYYYMMDDHHmmSS)");
  }
}
