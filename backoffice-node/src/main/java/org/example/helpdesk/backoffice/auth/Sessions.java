package org.example.helpdesk.backoffice.auth;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signed session tokens for the console's cookie, and the CSRF token that goes with each session. A
 * token is {@code name|expiry|nonce} and its HMAC-SHA256: nothing is stored on the server, so any
 * node of the cluster that shares the secret accepts it.
 */
public final class Sessions {

  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder B64D = Base64.getUrlDecoder();

  private final SecretKeySpec key;
  private final Duration ttl;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();

  /** An open session: who, until when, and the nonce its CSRF token is derived from. */
  public record Session(String employee, Instant expires, String nonce) {}

  /**
   * @param secret at least 32 bytes; empty makes a random one (sessions then end with the node and
   *     are not accepted by other nodes)
   */
  public Sessions(String secret, Duration ttl, Clock clock) {
    byte[] bytes;
    if (secret.isEmpty()) {
      bytes = new byte[32];
      random.nextBytes(bytes);
    } else {
      bytes = secret.getBytes(UTF_8);
      if (bytes.length < 32) {
        throw new IllegalArgumentException("SESSION_SECRET must be at least 32 bytes");
      }
    }
    this.key = new SecretKeySpec(bytes, "HmacSHA256");
    this.ttl = ttl;
    this.clock = clock;
  }

  public Duration ttl() {
    return ttl;
  }

  public String open(String employee) {
    byte[] nonce = new byte[16];
    random.nextBytes(nonce);
    String payload =
        employee
            + "|"
            + clock.instant().plus(ttl).getEpochSecond()
            + "|"
            + B64.encodeToString(nonce);
    return B64.encodeToString(payload.getBytes(UTF_8))
        + "."
        + B64.encodeToString(mac("session|" + payload));
  }

  /** The session a token stands for, if its signature is ours and it has not expired. */
  public Optional<Session> read(String token) {
    if (token == null || token.length() > 512) {
      return Optional.empty();
    }
    int dot = token.indexOf('.');
    if (dot < 0) {
      return Optional.empty();
    }
    try {
      String payload = new String(B64D.decode(token.substring(0, dot)), UTF_8);
      byte[] signature = B64D.decode(token.substring(dot + 1));
      if (!MessageDigest.isEqual(signature, mac("session|" + payload))) {
        return Optional.empty();
      }
      String[] parts = payload.split("\\|", 3);
      Instant expires = Instant.ofEpochSecond(Long.parseLong(parts[1]));
      if (!expires.isAfter(clock.instant())) {
        return Optional.empty();
      }
      return Optional.of(new Session(parts[0], expires, parts[2]));
    } catch (IllegalArgumentException | ArrayIndexOutOfBoundsException e) {
      return Optional.empty();
    }
  }

  /** The token a form of this session must send back. */
  public String csrfToken(Session session) {
    return B64.encodeToString(mac("csrf|" + session.employee() + "|" + session.nonce()));
  }

  public boolean csrfMatches(Session session, String token) {
    return token != null
        && MessageDigest.isEqual(token.getBytes(UTF_8), csrfToken(session).getBytes(UTF_8));
  }

  private byte[] mac(String text) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      return mac.doFinal(text.getBytes(UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
