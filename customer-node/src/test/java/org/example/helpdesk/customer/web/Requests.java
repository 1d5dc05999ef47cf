package org.example.helpdesk.customer.web;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.net.http.HttpResponse;
import java.util.Map;
import org.example.helpdesk.customer.CustomerTestNode;

/**
 * Requests as a browser or an API client sends them, with any Accept header and no credentials;
 * redirects not followed.
 */
final class Requests {

  /** What Firefox and Chrome send when they navigate. */
  static final String BROWSER_ACCEPT =
      "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";

  private Requests() {}

  static HttpResponse<String> send(
      CustomerTestNode node,
      String method,
      String path,
      String accept,
      String contentType,
      byte[] body) {
    String[] headers = accept == null ? new String[0] : new String[] {"Accept", accept};
    return node.http.anonymous().send(method, path, contentType, body, headers).raw();
  }

  /** A request to the admin API, with the node's admin token. */
  static HttpResponse<String> admin(CustomerTestNode node, String method, String path) {
    return node.admin.send(method, path, null, method.equals("GET") ? null : new byte[0]).raw();
  }

  /** A JSON request to the admin API, with the node's admin token. */
  static HttpResponse<String> adminJson(CustomerTestNode node, String path, String json) {
    return node.admin.send("POST", path, "application/json", json.getBytes(UTF_8)).raw();
  }

  static HttpResponse<String> get(CustomerTestNode node, String path, String accept) {
    return send(node, "GET", path, accept, null, null);
  }

  /** As a browser posts a form: url-encoded UTF-8, preferring HTML. */
  static HttpResponse<String> postForm(
      CustomerTestNode node, String path, Map<String, String> fields) {
    return node.http.anonymous().postForm(path, fields, "Accept", BROWSER_ACCEPT).raw();
  }

  static HttpResponse<String> postJson(CustomerTestNode node, String path, String json) {
    return send(node, "POST", path, null, "application/json", json.getBytes(UTF_8));
  }

  static String header(HttpResponse<?> response, String name) {
    return response.headers().firstValue(name).orElse(null);
  }
}
