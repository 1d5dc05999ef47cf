package org.example.helpdesk.platform.support;

import com.typesafe.config.Config;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Keeps passwords out of the logs. {@link #redact} masks the password of a URI ({@code
 * scheme://user:password@host}), a {@code password=} parameter (JDBC URLs) and every password
 * {@link #register registered} (the node's database and broker passwords, registered at start); the
 * nodes' log encoder (platform-node's {@code LogEncoder}) runs every line through it as well.
 */
public final class Secrets {

  public static final String MASK = "***";

  /** {@code ://user:password@}: the password, up to the last {@code @} before the host. */
  private static final Pattern USER_INFO = Pattern.compile("(://[^\\s/:@]*:)[^\\s@]*@");

  /** {@code password=...} (JDBC URL parameters, properties), {@code "password":"..."} (JSON). */
  private static final Pattern PASSWORD_PARAMETER =
      Pattern.compile("(?i)((?:password|passwd|pwd)\"?\\s*[=:]\\s*\"?)[^&;\\s,\"'\\])}]+");

  /** Too short or too common to be masked wherever they appear (they are no secret either). */
  private static final Set<String> NOT_SECRETS = Set.of("postgres", "password", "changeme");

  private static final int MIN_REGISTERED_LENGTH = 6;

  private static final List<String> registered = new CopyOnWriteArrayList<>();

  private Secrets() {}

  /** The text with every password this class knows of, or can recognize, masked. */
  public static String redact(String text) {
    if (text == null || text.isEmpty()) {
      return text;
    }
    String result = text;
    for (String secret : registered) {
      if (result.contains(secret)) {
        result = result.replace(secret, MASK);
      }
    }
    if (result.contains("://")) {
      result = USER_INFO.matcher(result).replaceAll("$1" + MASK + "@");
    }
    String lower = result.toLowerCase(Locale.ROOT);
    if (lower.contains("pass") || lower.contains("pwd")) {
      result = PASSWORD_PARAMETER.matcher(result).replaceAll("$1" + MASK);
    }
    return result;
  }

  /**
   * Masks this value wherever it appears in a log line from now on (and its URL-encoded form).
   * Values shorter than 6 characters or well-known defaults ("postgres") are not registered:
   * masking them everywhere would garble the logs, and they protect nothing.
   */
  public static void register(String secret) {
    if (secret == null
        || secret.isBlank()
        || secret.length() < MIN_REGISTERED_LENGTH
        || NOT_SECRETS.contains(secret)) {
      return;
    }
    if (!registered.contains(secret)) {
      registered.add(secret);
    }
    String encoded = java.net.URLEncoder.encode(secret, StandardCharsets.UTF_8);
    if (!encoded.equals(secret) && !registered.contains(encoded)) {
      registered.add(encoded);
    }
  }

  /** Registers the password of a URI's user info and of its {@code password=} parameter, if any. */
  public static void registerPasswordsIn(String uri) {
    if (uri == null) {
      return;
    }
    Matcher userInfo = Pattern.compile("://[^\\s/:@]*:([^\\s@]*)@").matcher(uri);
    if (userInfo.find()) {
      register(userInfo.group(1));
      register(decode(userInfo.group(1)));
    }
    Matcher parameter = Pattern.compile("(?i)[?&;]password=([^&;\\s]+)").matcher(uri);
    while (parameter.find()) {
      register(parameter.group(1));
      register(decode(parameter.group(1)));
    }
  }

  /**
   * Registers the node's database and broker passwords ({@code helpdesk.database}, {@code
   * helpdesk.amqp}), the backoffice's session secret and the customer node's admin token.
   */
  public static void registerNodeSecrets(Config config) {
    register(config.getString("helpdesk.database.password"));
    registerPasswordsIn(config.getString("helpdesk.database.url"));
    registerPasswordsIn(config.getString("helpdesk.amqp.uri"));
    if (config.hasPath("helpdesk.auth.session-secret")) {
      register(config.getString("helpdesk.auth.session-secret"));
    }
    if (config.hasPath("helpdesk.admin.token")) {
      register(config.getString("helpdesk.admin.token"));
    }
  }

  private static String decode(String s) {
    try {
      return URLDecoder.decode(s, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return s;
    }
  }
}
