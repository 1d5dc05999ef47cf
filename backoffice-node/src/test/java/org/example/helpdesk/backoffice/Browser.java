package org.example.helpdesk.backoffice;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.example.helpdesk.testsupport.HttpTestClient;

/**
 * What a browser does with the console, over java.net.http: keeps the cookies the node sets (by
 * name; every cookie goes with every request), follows no redirect, posts forms.
 */
public final class Browser {

  private static final Pattern CSRF_FIELD = Pattern.compile("name=\"csrf\" value=\"([^\"]*)\"");

  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String base;

  /** Sent with every request when set (an API client rather than a browser). */
  private final String authorization;

  private final Map<String, String> cookies = new LinkedHashMap<>();

  public Browser(String base) {
    this(base, null);
  }

  private Browser(String base, String authorization) {
    this.base = base;
    this.authorization = authorization;
  }

  /** A client of the same node that sends these HTTP Basic credentials, and no cookies yet. */
  public Browser withBasic(String name, String password) {
    return new Browser(base, HttpTestClient.basic(name, password));
  }

  /** A response, with the form token of the page's forms. */
  public record Page(int status, String body, HttpResponse<String> raw) {
    public String header(String name) {
      return raw.headers().firstValue(name).orElse(null);
    }

    /** The {@code Set-Cookie} header that sets this cookie, or null. */
    public String setCookie(String name) {
      return raw.headers().allValues("Set-Cookie").stream()
          .filter(c -> c.startsWith(name + "="))
          .findFirst()
          .orElse(null);
    }

    /** The value of the {@code csrf} field of the page's first form. */
    public String csrf() {
      Matcher m = CSRF_FIELD.matcher(body);
      if (!m.find()) {
        throw new AssertionError("no csrf field on the page: " + this);
      }
      return m.group(1);
    }

    public JsonNode json() {
      return HttpTestClient.json(body, this);
    }

    @Override
    public String toString() {
      return status + " " + (body.length() > 2000 ? body.substring(0, 2000) + "..." : body);
    }
  }

  public String cookie(String name) {
    return cookies.get(name);
  }

  public void setCookie(String name, String value) {
    cookies.put(name, value);
  }

  public Page get(String path, String... headers) {
    return request("GET", path, null, null, headers);
  }

  /** Posts a form ({@code application/x-www-form-urlencoded}), as a browser does. */
  public Page postForm(String path, Map<String, String> fields, String... headers) {
    return request("POST", path, HttpTestClient.FORM, HttpTestClient.form(fields), headers);
  }

  /** A JSON request, as the console's scripts (or a curl with the cookie) would send it. */
  public Page sendJson(String method, String path, String json, String... headers) {
    return request(
        method, path, "application/json", json == null ? null : json.getBytes(UTF_8), headers);
  }

  /** Any request; {@code contentType} and {@code body} may be null. */
  public Page request(
      String method, String path, String contentType, byte[] body, String... headers) {
    return send(HttpTestClient.request(uri(path), method, contentType, body), headers);
  }

  /** Signs in through the sign-in page; fails unless the node answers with its session. */
  public Browser signIn(String name, String password) {
    Page signedIn = signInAttempt(name, password);
    assertEquals(303, signedIn.status(), () -> "sign-in of " + name + ": " + signedIn);
    return this;
  }

  public Page signInAttempt(String name, String password) {
    Page form = get("/sign-in");
    assertEquals(200, form.status(), form::toString);
    return postForm("/sign-in", Map.of("csrf", form.csrf(), "name", name, "password", password));
  }

  /** The request with the cookies, sent as is. */
  public Page send(HttpRequest.Builder request, String... headers) {
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    if (!cookies.isEmpty()) {
      request.header("Cookie", cookieHeader());
    }
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    HttpResponse<String> response = HttpTestClient.exchange(client, request);
    remember(response.headers().allValues("Set-Cookie"));
    return new Page(response.statusCode(), response.body(), response);
  }

  public String cookieHeader() {
    return cookies.entrySet().stream()
        .map(e -> e.getKey() + "=" + e.getValue())
        .collect(Collectors.joining("; "));
  }

  public HttpClient client() {
    return client;
  }

  public URI uri(String path) {
    return URI.create(base + path);
  }

  private void remember(List<String> setCookies) {
    for (String c : setCookies) {
      String pair = c.split(";", 2)[0];
      int eq = pair.indexOf('=');
      String name = pair.substring(0, eq).strip();
      if (c.toLowerCase(java.util.Locale.ROOT).contains("max-age=0")) {
        cookies.remove(name);
      } else {
        cookies.put(name, pair.substring(eq + 1).strip());
      }
    }
  }
}
