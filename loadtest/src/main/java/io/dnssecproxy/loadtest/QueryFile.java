package io.dnssecproxy.loadtest;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.xbill.DNS.Name;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * Reads dnsperf's query-file format: one {@code name TYPE} per line; blank lines and lines
 * starting with {@code ;} or {@code #} are skipped. Names are taken as absolute, as dnsperf does.
 * A bad line stops the run with its line number: a load test over a silently shortened file
 * measures the wrong thing.
 */
public final class QueryFile {

  private QueryFile() {}

  public static List<QuerySpec> read(Path file) throws IOException {
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      return parse(r, file.toString());
    }
  }

  public static List<QuerySpec> parse(Reader reader, String source) throws IOException {
    List<QuerySpec> out = new ArrayList<>();
    BufferedReader in = new BufferedReader(reader);
    String line;
    int number = 0;
    while ((line = in.readLine()) != null) {
      number++;
      String t = line.strip();
      if (t.isEmpty() || t.startsWith(";") || t.startsWith("#")) {
        continue;
      }
      out.add(parseLine(t, source, number));
    }
    if (out.isEmpty()) {
      throw new QueryFileException(source + ": no queries");
    }
    return out;
  }

  private static QuerySpec parseLine(String line, String source, int number) {
    String[] f = line.split("\\s+");
    if (f.length != 2) {
      throw new QueryFileException(source + ":" + number + ": expected 'name TYPE', got '" + line + "'");
    }
    int type = Type.value(f[1]);
    if (type < 0) {
      throw new QueryFileException(source + ":" + number + ": unknown query type '" + f[1] + "'");
    }
    try {
      return new QuerySpec(Name.fromString(f[0], Name.root), type);
    } catch (TextParseException e) {
      throw new QueryFileException(source + ":" + number + ": bad name '" + f[0] + "': " + e.getMessage());
    }
  }

  /** A query file that cannot be used as it is. */
  public static final class QueryFileException extends IllegalArgumentException {
    public QueryFileException(String message) {
      super(message);
    }
  }
}
