package org.example.helpdesk.platform.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;

/**
 * Where the mailer sends: {@code smtp://[user:password@]host[:port]} (plain, upgraded with STARTTLS
 * when the server offers it) or {@code smtps://...} (TLS from the first byte). User and password
 * are percent-decoded. {@link #toString()} masks the password, so the value can be logged and
 * shown; the password itself is only ever handed to the SMTP client.
 */
public record SmtpUrl(boolean tls, String host, int port, String user, String password) {

  public SmtpUrl {
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException("SMTP_URL needs a host");
    }
    if (port < 1 || port > 65_535) {
      throw new IllegalArgumentException("SMTP_URL port must be 1-65535");
    }
    if (password != null && user == null) {
      throw new IllegalArgumentException("SMTP_URL has a password without a user");
    }
  }

  /**
   * The URL, or empty when {@code value} is null or blank (the mailer is off).
   *
   * @throws IllegalArgumentException naming what is wrong, never echoing the password
   */
  public static Optional<SmtpUrl> parse(String value) {
    if (value == null || value.isBlank()) {
      return Optional.empty();
    }
    URI uri;
    try {
      uri = new URI(value.strip());
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(
          "SMTP_URL is not a URL (smtp://[user:password@]host:port)");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    boolean tls;
    switch (scheme) {
      case "smtp" -> tls = false;
      case "smtps" -> tls = true;
      default -> throw new IllegalArgumentException("SMTP_URL must start with smtp:// or smtps://");
    }
    if (uri.getHost() == null) {
      throw new IllegalArgumentException(
          "SMTP_URL needs a host (smtp://[user:password@]host:port)");
    }
    if ((uri.getRawPath() != null && !uri.getRawPath().isEmpty() && !uri.getRawPath().equals("/"))
        || uri.getRawQuery() != null
        || uri.getRawFragment() != null) {
      throw new IllegalArgumentException("SMTP_URL takes no path, query or fragment");
    }
    int port = uri.getPort() == -1 ? (tls ? 465 : 25) : uri.getPort();
    String user = null;
    String password = null;
    String userInfo = uri.getRawUserInfo();
    if (userInfo != null) {
      int colon = userInfo.indexOf(':');
      user = decode(colon < 0 ? userInfo : userInfo.substring(0, colon));
      password = colon < 0 ? null : decode(userInfo.substring(colon + 1));
      if (user.isEmpty()) {
        throw new IllegalArgumentException("SMTP_URL has an empty user name");
      }
    }
    return Optional.of(new SmtpUrl(tls, uri.getHost(), port, user, password));
  }

  private static String decode(String raw) {
    try {
      return URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "SMTP_URL has a malformed percent-encoding in its user part");
    }
  }

  @Override
  public String toString() {
    String credentials = user == null ? "" : user + (password == null ? "" : ":***") + "@";
    return (tls ? "smtps://" : "smtp://") + credentials + host + ":" + port;
  }
}
