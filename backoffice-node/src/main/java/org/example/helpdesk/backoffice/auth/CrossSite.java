package org.example.helpdesk.backoffice.auth;

import java.net.URI;
import java.util.Locale;
import java.util.Optional;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpRequest;

/**
 * Whether a request comes from a page of another site. A browser that remembered Basic credentials
 * sends them with a form or fetch of any site; it also says where the request comes from ({@code
 * Origin}, {@code Sec-Fetch-Site}), which a page cannot forge. Clients that are no browser send
 * neither header and are not affected.
 */
final class CrossSite {

  private CrossSite() {}

  static boolean fromOtherSite(HttpRequest request) {
    Optional<String> fetchSite = header(request, "Sec-Fetch-Site");
    if (fetchSite.isPresent()) {
      String site = fetchSite.get().strip().toLowerCase(Locale.ROOT);
      if (!site.equals("same-origin") && !site.equals("none")) {
        return true;
      }
    }
    Optional<String> origin = header(request, "Origin");
    return origin.isPresent() && !sameAuthority(origin.get(), header(request, "Host"));
  }

  /**
   * The origin names the host (and port) the request was sent to. The scheme is not compared: a TLS
   * proxy in front makes the browser's {@code https} origin arrive over {@code http}.
   */
  private static boolean sameAuthority(String origin, Optional<String> host) {
    if (host.isEmpty() || origin.strip().equalsIgnoreCase("null")) {
      return false;
    }
    try {
      URI uri = new URI(origin.strip());
      String authority = uri.getRawAuthority();
      return authority != null
          && uri.getScheme() != null
          && authority.equalsIgnoreCase(withoutDefaultPort(host.get().strip(), uri.getScheme()));
    } catch (java.net.URISyntaxException e) {
      return false;
    }
  }

  /** A Host of {@code example.org:80} matches an origin {@code http://example.org}. */
  private static String withoutDefaultPort(String host, String scheme) {
    if (scheme.equalsIgnoreCase("http") && host.endsWith(":80")) {
      return host.substring(0, host.length() - 3);
    }
    if (scheme.equalsIgnoreCase("https") && host.endsWith(":443")) {
      return host.substring(0, host.length() - 4);
    }
    return host;
  }

  private static Optional<String> header(HttpRequest request, String name) {
    return request.getHeader(name).map(HttpHeader::value);
  }
}
