package io.dnssecproxy.config;

import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Supplies an option's value when the command line lacks it: from the environment first, then
 * from the config file. This is what makes the precedence flags > environment > file.
 */
final class LayeredDefaults implements IDefaultValueProvider {

  static final String ENV_PREFIX = "DNSSEC_PROXY_";

  private final Map<String, String> env;
  private final Properties file;

  LayeredDefaults(Map<String, String> env, Properties file) {
    this.env = env;
    this.file = file;
  }

  /** DNSSEC_PROXY_TRUST_ANCHOR_FILE for --trust-anchor-file. */
  static String envName(String longOption) {
    return ENV_PREFIX + longOption.replaceFirst("^--", "").replace('-', '_').toUpperCase(Locale.ROOT);
  }

  /** trust-anchor-file for --trust-anchor-file. */
  static String fileKey(String longOption) {
    return longOption.replaceFirst("^--", "");
  }

  @Override
  public String defaultValue(ArgSpec spec) {
    if (!(spec instanceof OptionSpec option)) {
      return null;
    }
    String name = option.longestName();
    String fromEnv = env.get(envName(name));
    if (fromEnv != null && !fromEnv.isBlank()) {
      return fromEnv.trim();
    }
    String fromFile = file.getProperty(fileKey(name));
    return fromFile == null || fromFile.isBlank() ? null : fromFile.trim();
  }
}
