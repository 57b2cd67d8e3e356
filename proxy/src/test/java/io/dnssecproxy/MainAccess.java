package io.dnssecproxy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;

/** Runs the command line in-process with captured output, for tests outside this package. */
public final class MainAccess {

  /** What a run printed and returned. */
  public record Run(int exit, String out, String err) {}

  private MainAccess() {}

  public static Run run(Map<String, String> env, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = Main.run(args, env, new PrintWriter(out, true), new PrintWriter(err, true));
    return new Run(exit, out.toString(), err.toString());
  }
}
