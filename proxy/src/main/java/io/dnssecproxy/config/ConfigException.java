package io.dnssecproxy.config;

/** A configuration mistake, with a message that names the setting and says what is wrong. */
public final class ConfigException extends Exception {
  public ConfigException(String message) {
    super(message, null, false, false);
  }
}
