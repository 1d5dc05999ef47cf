package org.example.helpdesk.customer.web;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;
import org.example.helpdesk.customer.CustomerTestNode;

/**
 * Requests as a browser or an API client sends them, with any Accept header; redirects not
 * followed.
 */
final class Requests {

  /** What Firefox and Chrome send when they navigate. */
  static final String BROWSER_ACCEPT =
      "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";

  private static final HttpClient CLIENT =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private Requests() {}

  static HttpResponse<String> send(
      CustomerTestNode node,
      String method,
      String path,
      String accept,
      String contentType,
      byte[] body) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + node.node.node().httpAddress().getPort() + path))
            .timeout(Duration.ofSeconds(30))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(body));
    if (accept != null) {
      request.header("Accept", accept);
    }
    if (contentType != null) {
      request.header("Content-Type", contentType);
    }
    try {
      return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString(UTF_8));
    } catch (IOException e) {
      throw new IllegalStateException("HTTP request failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static HttpResponse<String> get(CustomerTestNode node, String path, String accept) {
    return send(node, "GET", path, accept, null, null);
  }

  /** As a browser posts a form: url-encoded UTF-8, preferring HTML. */
  static HttpResponse<String> postForm(
      CustomerTestNode node, String path, Map<String, String> fields) {
    String body =
        fields.entrySet().stream()
            .map(
                e ->
                    URLEncoder.encode(e.getKey(), UTF_8)
                        + "="
                        + URLEncoder.encode(e.getValue(), UTF_8))
            .collect(Collectors.joining("&"));
    return send(
        node,
        "POST",
        path,
        BROWSER_ACCEPT,
        "application/x-www-form-urlencoded",
        body.getBytes(UTF_8));
  }

  static HttpResponse<String> postJson(CustomerTestNode node, String path, String json) {
    return send(node, "POST", path, null, "application/json", json.getBytes(UTF_8));
  }

  static String header(HttpResponse<?> response, String name) {
    return response.headers().firstValue(name).orElse(null);
  }
}
