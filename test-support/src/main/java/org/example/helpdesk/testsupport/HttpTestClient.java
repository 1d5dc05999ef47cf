package org.example.helpdesk.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A blocking JSON client for a node's HTTP API. It sends the test operator's HTTP Basic credentials
 * ({@link TestEmployees}) unless made {@link #as} someone else or {@link #anonymous}; the customer
 * node ignores them.
 */
public final class HttpTestClient {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient client;
  private final String base;
  private final String authorization;

  public HttpTestClient(String host, int port) {
    this(
        HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build(),
        "http://" + host + ":" + port,
        basic(TestEmployees.OPERATOR, TestEmployees.OPERATOR_PASSWORD));
  }

  private HttpTestClient(HttpClient client, String base, String authorization) {
    this.client = client;
    this.base = base;
    this.authorization = authorization;
  }

  /** The same node, with these credentials. */
  public HttpTestClient as(String name, String password) {
    return new HttpTestClient(client, base, basic(name, password));
  }

  /** The same node, with this {@code Authorization} header (e.g. {@code Bearer ...}). */
  public HttpTestClient withAuthorization(String authorization) {
    return new HttpTestClient(client, base, authorization);
  }

  /** The same node, without credentials. */
  public HttpTestClient anonymous() {
    return new HttpTestClient(client, base, null);
  }

  public static String basic(String name, String password) {
    return "Basic "
        + java.util.Base64.getEncoder()
            .encodeToString((name + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  /** A response: status, headers and the body, parsed when it is JSON. */
  public record Response(int status, String body, HttpResponse<String> raw) {
    public JsonNode json() {
      return HttpTestClient.json(body, this);
    }

    public String header(String name) {
      return raw.headers().firstValue(name).orElse(null);
    }

    @Override
    public String toString() {
      return status + " " + body;
    }
  }

  public Response get(String path, String... headers) {
    return send("GET", path, null, null, headers);
  }

  public Response delete(String path) {
    return send("DELETE", path, null, null);
  }

  public Response postJson(String path, String json) {
    return post(path, "application/json", json.getBytes(StandardCharsets.UTF_8));
  }

  public Response post(String path, String contentType, byte[] body) {
    return send("POST", path, contentType, body == null ? new byte[0] : body);
  }

  /** Posts a form ({@code application/x-www-form-urlencoded}), as a browser does. */
  public Response postForm(String path, Map<String, String> fields, String... headers) {
    return send("POST", path, FORM, form(fields), headers);
  }

  /**
   * Any request; {@code contentType} and {@code body} may be null.
   *
   * @param headers more headers, as name, value, name, value ...
   */
  public Response send(
      String method, String path, String contentType, byte[] body, String... headers) {
    return send(request(uri(path), method, contentType, body, headers));
  }

  public static final String FORM = "application/x-www-form-urlencoded";

  /**
   * A request as {@link #send(String, String, String, byte[], String...)} makes it, for a client
   * that adds more to it (a browser its cookies).
   */
  public static HttpRequest.Builder request(
      URI uri, String method, String contentType, byte[] body, String... headers) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri)
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(body));
    if (contentType != null) {
      request.header("Content-Type", contentType);
    }
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    return request;
  }

  /** The fields as a browser posts a form: url-encoded UTF-8. */
  public static byte[] form(Map<String, String> fields) {
    return fields.entrySet().stream()
        .map(
            e ->
                URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8)
                    + "="
                    + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
        .collect(Collectors.joining("&"))
        .getBytes(StandardCharsets.UTF_8);
  }

  /** A response's body as JSON; a body that is not JSON fails the test, showing the response. */
  public static JsonNode json(String body, Object response) {
    try {
      return JSON.readTree(body);
    } catch (IOException e) {
      throw new AssertionError("not JSON: " + response, e);
    }
  }

  private URI uri(String path) {
    return URI.create(base + path);
  }

  private Response send(HttpRequest.Builder request) {
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    HttpResponse<String> response = exchange(client, request);
    return new Response(response.statusCode(), response.body(), response);
  }

  /**
   * Sends the request on this client, 30 s at most, for a client that keeps more (a browser its
   * cookies); a request that fails is the test's failure.
   */
  public static HttpResponse<String> exchange(HttpClient client, HttpRequest.Builder request) {
    HttpRequest built = request.timeout(Duration.ofSeconds(30)).build();
    try {
      try {
        return client.send(built, HttpResponse.BodyHandlers.ofString());
      } catch (IOException e) {
        // a pooled connection the server had already closed (it closes one after refusing a body
        // too large): nothing was read by the server, so the request goes once more, fresh
        if (!String.valueOf(e.getMessage()).contains("received no bytes")) {
          throw e;
        }
        return client.send(built, HttpResponse.BodyHandlers.ofString());
      }
    } catch (IOException e) {
      throw new IllegalStateException("HTTP request failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
