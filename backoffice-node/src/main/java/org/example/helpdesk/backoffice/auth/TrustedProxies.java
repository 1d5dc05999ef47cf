package org.example.helpdesk.backoffice.auth;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpRequest;

/**
 * The reverse proxies whose {@code X-Forwarded-For} the sign-in throttle believes ({@code
 * TRUSTED_PROXIES}): behind one, every request comes from the proxy's address, and the throttle
 * would count everyone's failures together. From a trusted proxy, the client is the last address of
 * the header (the one the proxy itself saw); from anyone else the header is ignored, since any
 * client can send it.
 */
public final class TrustedProxies {

  private static final Pattern LITERAL = Pattern.compile("[0-9A-Fa-f:.]{2,45}");

  private final Set<InetAddress> proxies;

  private TrustedProxies(Set<InetAddress> proxies) {
    this.proxies = Set.copyOf(proxies);
  }

  public static TrustedProxies none() {
    return new TrustedProxies(Set.of());
  }

  /**
   * @param list IP addresses separated by commas or spaces (no names: nothing is looked up)
   */
  public static TrustedProxies parse(String list) {
    Set<InetAddress> proxies = new HashSet<>();
    for (String entry : list.split("[\\s,]+")) {
      if (entry.isBlank()) {
        continue;
      }
      proxies.add(
          literal(entry.strip())
              .orElseThrow(
                  () ->
                      new IllegalArgumentException(
                          "TRUSTED_PROXIES: '" + entry.strip() + "' is not an IP address")));
    }
    return new TrustedProxies(proxies);
  }

  /** The client's address: the peer, or what a trusted proxy says it saw. */
  InetAddress client(InetAddress peer, HttpRequest request) {
    if (!proxies.contains(peer)) {
      return peer;
    }
    return request
        .getHeader("X-Forwarded-For")
        .map(HttpHeader::value)
        .map(v -> v.substring(v.lastIndexOf(',') + 1).strip())
        .flatMap(TrustedProxies::literal)
        .orElse(peer);
  }

  static Optional<InetAddress> literal(String text) {
    if (!LITERAL.matcher(text).matches()) {
      return Optional.empty();
    }
    try {
      return Optional.of(InetAddress.getByName(text));
    } catch (UnknownHostException | IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
