package org.example.helpdesk.platform.http;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;
import org.example.helpdesk.testsupport.RawHttp;
import org.example.helpdesk.testsupport.RawHttp.Reply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The HTTP corners every route of both nodes shares ({@link HttpServer}, {@link RequestRules},
 * {@link ApiDirectives} and the server settings of helpdesk-node.conf), on a small API of their
 * shape: each answered as a user expects, with a JSON error naming the problem.
 */
class HttpCornersTest {

  private static final int MAX_BODY = 1024;

  /** Body of {@code POST /things}. */
  public record Thing(String name) {}

  static final class Routes extends ApiDirectives {
    Routes() {
      super(MAX_BODY);
    }

    Route routes() {
      return pathPrefix(
          "things",
          () ->
              concat(
                  pathEnd(
                      () ->
                          concat(
                              get(
                                  () ->
                                      singleParameter(
                                          "status",
                                          status ->
                                              singleParameter(
                                                  "limit",
                                                  limit ->
                                                      json(
                                                          StatusCodes.OK,
                                                          Map.of(
                                                              "status",
                                                              status.orElse("any"),
                                                              "limit",
                                                              limit.orElse("none")))))),
                              post(
                                  () -> jsonBody(Thing.class, t -> json(StatusCodes.CREATED, t))))),
                  pathPrefix(
                      PathMatchers.segment(),
                      raw ->
                          uuid(
                              raw,
                              "thingId",
                              id ->
                                  concat(
                                      pathEnd(
                                          () ->
                                              get(
                                                  () ->
                                                      json(
                                                          StatusCodes.OK,
                                                          Map.of("thingId", id.toString())))),
                                      path(
                                          "close",
                                          () ->
                                              post(
                                                  () ->
                                                      json(
                                                          StatusCodes.OK,
                                                          Map.of("closed", id.toString())))))))));
    }
  }

  private static final String THING = "/things/6f1c0b3e-2d4a-4c8e-9b7a-1e2f3a4b5c6d";

  private static ActorSystem<Void> system;
  private static int port;

  @BeforeAll
  static void start() throws Exception {
    // the server settings the nodes run with (pekko.http of helpdesk-node.conf), nothing else
    Config http = ConfigFactory.parseResources("helpdesk-node.conf").withOnlyPath("pekko.http");
    system =
        ActorSystem.create(
            Behaviors.empty(), "http-corners", http.withFallback(ConfigFactory.load()));
    port =
        HttpServer.start(system, "127.0.0.1", 0, MAX_BODY, new Routes().routes())
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS)
            .localAddress()
            .getPort();
  }

  @AfterAll
  static void stop() {
    if (system != null) {
      system.terminate();
    }
  }

  // ---- errors: a status and a JSON error naming the problem -----------------------------------

  /** A request as raw bytes, the status it must get and a text its JSON error must contain. */
  record Case(String name, byte[] request, int status, String error) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Case> errors() throws IOException {
    String json = "{\"name\":\"n\"}";
    byte[] bomb = gzip(("{\"name\":\"" + "x".repeat(200_000) + "\"}").getBytes(UTF_8));
    assertTrue(bomb.length < MAX_BODY, "the bomb itself is within the limit: " + bomb.length);
    return Stream.of(
        // charsets other than UTF-8 (and its subset US-ASCII)
        post(
            "charset ISO-8859-1",
            "application/json; charset=ISO-8859-1",
            json,
            415,
            "not charset ISO-8859-1"),
        post(
            "charset windows-1252",
            "application/json; charset=windows-1252",
            json,
            415,
            "in UTF-8"),
        post("charset UTF-16", "application/json; charset=UTF-16", json, 415, "in UTF-8"),
        post("charset made up", "application/json; charset=klingon", json, 415, "in UTF-8"),
        post(
            "text/plain is still not JSON",
            "text/plain; charset=utf-8",
            json,
            415,
            "must be application/json"),
        // content codings
        post(
            "Content-Encoding br",
            json,
            415,
            "Content-Encoding 'br' is not supported",
            "Content-Encoding: br"),
        post(
            "Content-Encoding foo",
            json,
            415,
            "Content-Encoding 'foo' is not supported",
            "Content-Encoding: foo"),
        post("Content-Encoding compress", json, 415, "'compress'", "Content-Encoding: compress"),
        post("two codings, one unknown", json, 415, "'gzip, br'", "Content-Encoding: gzip, br"),
        post("gzip twice", json, 415, "'gzip, gzip'", "Content-Encoding: gzip, gzip"),
        post(
            "Content-Encoding on a GET",
            "GET",
            THING,
            null,
            new byte[0],
            415,
            "'br'",
            "Content-Encoding: br"),
        post(
            "gzip that is not gzip", json, 400, "malformed request body", "Content-Encoding: gzip"),
        post(
            "a gzip bomb",
            "POST",
            "/things",
            "application/json",
            bomb,
            413,
            "request body is too large",
            "Content-Encoding: gzip"),
        // repeated single-valued parameters
        request(
            "status twice",
            "GET /things?status=open&status=closed",
            400,
            "invalid query parameter 'status'"),
        request(
            "status twice, same value",
            "GET /things?status=open&status=open",
            400,
            "'status': given 2 times"),
        request(
            "limit three times",
            "GET /things?limit=1&limit=2&limit=3",
            400,
            "'limit': given 3 times"),
        request(
            "status twice behind a trailing slash",
            "GET /things/?status=a&status=b",
            400,
            "'status'"),
        // methods: HEAD is GET without the body, any other wrong method stays a 405
        request("PUT where GET and POST are served", "PUT /things", 405, "allowed: GET, POST"),
        request("DELETE on a GET route", "DELETE " + THING, 405, "allowed: GET"),
        request("GET on a POST route", "GET " + THING + "/close", 405, "allowed: POST"),
        request("a made-up method", "BREW /things", 501, "Unsupported HTTP method"),
        // broken request lines and headers
        raw("GARBAGE and two line ends", "GARBAGE\r\n\r\n", 400, "Unsupported HTTP method"),
        raw("a request line without a space", "GET\r\n\r\n", 400, "Unsupported HTTP method"),
        raw("a short word and two line ends", "X\r\n\r\n", 400, "Unsupported HTTP method"),
        raw(
            "binary garbage",
            "\u0000\u0001\u0002\u0003\u0004\u0005\r\n\r\n",
            400,
            "Unsupported HTTP method"),
        raw(
            "a long made-up method",
            "PROPFIND /things HTTP/1.1\r\nHost: x\r\n\r\n",
            400,
            "Unsupported HTTP method"),
        request(
            "a 10,000-character URI",
            "GET /things/" + "a".repeat(10_000),
            414,
            "URI length exceeds"),
        request(
            "a 100,000-character header",
            "GET /things",
            431,
            "header",
            "X-Junk: " + "j".repeat(100_000)),
        request(
            "a header name of 1,000 characters",
            "GET /things",
            431,
            "header",
            "X" + "j".repeat(1_000) + ": 1"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("errors")
  void answeredAtOnceWithAJsonError(Case c) throws IOException {
    long started = System.nanoTime();
    Reply reply = exchange(c.request());
    Duration took = Duration.ofNanos(System.nanoTime() - started);

    assertEquals(c.status(), reply.status(), () -> c.name() + ": " + reply);
    assertTrue(took.compareTo(Duration.ofSeconds(2)) < 0, () -> c.name() + " took " + took);
    assertEquals("application/json", reply.header("content-type"), () -> c.name() + ": " + reply);
    String error = Json.MAPPER.readTree(reply.body()).path("error").asText();
    assertTrue(
        error.contains(c.error()),
        () -> c.name() + ": error '" + error + "' should mention '" + c.error() + "'");
  }

  @Test
  void anUnsupportedCodingNamesTheOnesThatAre() throws IOException {
    Reply reply =
        exchange(request("POST /things", "Content-Encoding: br", "Content-Type: application/json"));
    assertEquals(415, reply.status(), reply::toString);
    assertEquals(RequestRules.ACCEPTED_ENCODINGS, reply.header("accept-encoding"), reply::toString);
  }

  // ---- what is accepted ------------------------------------------------------------------------

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "application/json",
        "application/json; charset=utf-8",
        "application/json; charset=UTF-8",
        "application/json;charset=\"utf-8\"",
        "application/json; charset=US-ASCII",
        "APPLICATION/JSON"
      })
  void jsonInUtf8IsReadWhateverTheWayItIsLabelled(String type) throws IOException {
    Reply reply = exchange(post("POST /things", type, "{\"name\":\"é\"}".getBytes(UTF_8)));
    assertEquals(201, reply.status(), () -> type + ": " + reply);
    assertEquals("é", Json.MAPPER.readTree(reply.body()).path("name").asText(), type);
  }

  @ParameterizedTest(name = "Content-Encoding: {0}")
  @ValueSource(strings = {"gzip", "GZIP", "deflate", "identity"})
  void aGzipOrDeflateBodyIsDecoded(String coding) throws IOException {
    byte[] body = "{\"name\":\"compressed\"}".getBytes(UTF_8);
    byte[] encoded =
        switch (coding) {
          case "gzip", "GZIP" -> gzip(body);
          case "deflate" -> deflate(body);
          default -> body;
        };
    Reply reply =
        exchange(post("POST /things", "application/json", encoded, "Content-Encoding: " + coding));
    assertEquals(201, reply.status(), () -> coding + ": " + reply);
    assertEquals("compressed", Json.MAPPER.readTree(reply.body()).path("name").asText());
  }

  @Test
  void aCodingOnARequestWithoutABodyIsNoError() throws IOException {
    // a coding on a request without a body (a POST that reads none)
    Reply empty =
        exchange(post("POST " + THING + "/close", null, new byte[0], "Content-Encoding: gzip"));
    assertEquals(200, empty.status(), empty::toString);
  }

  @ParameterizedTest(name = "HEAD {0}")
  @ValueSource(strings = {"/things", "/things?status=open", THING, THING + "/"})
  void headIsAnsweredWhereGetIsWithoutTheBody(String target) throws IOException {
    Reply get = exchange(request("GET " + target));
    Reply head = exchange(request("HEAD " + target));
    assertEquals(200, get.status(), get::toString);
    assertEquals(200, head.status(), () -> "HEAD " + target + ": " + head);
    assertEquals("", head.body(), () -> "HEAD " + target);
    assertEquals(get.header("content-type"), head.header("content-type"));
    assertEquals(get.header("content-length"), head.header("content-length"));
  }

  @Test
  void headWhereThereIsNoGetIsThe405WithoutItsBody() throws IOException {
    // HEAD of a route that serves no GET: the 405 of GET, without its body
    Reply head = exchange(request("HEAD " + THING + "/close"));
    assertEquals(405, head.status(), head::toString);
    assertEquals("", head.body());
  }

  @ParameterizedTest(name = "{1} as {0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "GET /things                | GET /things/",
        "GET /things?status=x       | GET /things/?status=x",
        "GET " + THING + "          | GET " + THING + "/",
        "GET " + THING + "          | GET " + THING + "//",
        "POST " + THING + "/close   | POST " + THING + "/close/",
        "GET " + THING + "/close    | GET " + THING + "/close/",
        "GET /nothing               | GET /nothing/",
      })
  void aTrailingSlashIsIgnoredOnEveryRoute(String without, String with) throws IOException {
    Reply withoutReply = exchange(request(without));
    Reply withReply = exchange(request(with));
    assertEquals(withoutReply.status(), withReply.status(), () -> with + ": " + withReply);
    assertEquals(withoutReply.body(), withReply.body(), with);
  }

  @Test
  void aPostWithATrailingSlashCreatesAndAnEmptySegmentIsNoTrailingSlash() throws IOException {
    Reply created =
        exchange(post("POST /things/", "application/json", "{\"name\":\"n\"}".getBytes(UTF_8)));
    assertEquals(201, created.status(), created::toString);
    // an empty segment is not a trailing slash
    assertEquals(404, exchange(request("GET /things//close")).status());
  }

  @Test
  void stripTrailingSlashesKeepsTheRoot() {
    assertEquals("/", RequestRules.stripTrailingSlashes("/"));
    assertEquals("/", RequestRules.stripTrailingSlashes("//"));
    assertEquals("/a", RequestRules.stripTrailingSlashes("/a///"));
    assertEquals("/a//b", RequestRules.stripTrailingSlashes("/a//b/"));
  }

  // ---- requests --------------------------------------------------------------------------------

  private static Case request(
      String name, String requestLine, int status, String error, String... headers) {
    return new Case(name, request(requestLine, headers), status, error);
  }

  private static Case raw(String name, String bytes, int status, String error) {
    return new Case(name, bytes.getBytes(ISO_8859_1), status, error);
  }

  private static Case post(String name, String contentType, String body, int status, String error) {
    return post(name, "POST", "/things", contentType, body.getBytes(UTF_8), status, error);
  }

  private static Case post(String name, String body, int status, String error, String header) {
    return post(
        name, "POST", "/things", "application/json", body.getBytes(UTF_8), status, error, header);
  }

  private static Case post(
      String name,
      String method,
      String target,
      String contentType,
      byte[] body,
      int status,
      String error,
      String... headers) {
    return new Case(name, post(method + " " + target, contentType, body, headers), status, error);
  }

  /** {@code requestLine} ("GET /things") with the given header lines, and no body. */
  private static byte[] request(String requestLine, String... headers) {
    return post(requestLine, null, null, headers);
  }

  private static byte[] post(
      String requestLine, String contentType, byte[] body, String... headers) {
    StringBuilder head = new StringBuilder(requestLine).append(" HTTP/1.1\r\nHost: 127.0.0.1\r\n");
    for (String h : headers) {
      head.append(h).append("\r\n");
    }
    if (contentType != null) {
      head.append("Content-Type: ").append(contentType).append("\r\n");
    }
    if (body != null) {
      head.append("Content-Length: ").append(body.length).append("\r\n");
    }
    head.append("Connection: close\r\n\r\n");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(head.toString().getBytes(ISO_8859_1));
    if (body != null) {
      out.writeBytes(body);
    }
    return out.toByteArray();
  }

  static byte[] gzip(byte[] bytes) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
      gzip.write(bytes);
    }
    return out.toByteArray();
  }

  private static byte[] deflate(byte[] bytes) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (DeflaterOutputStream deflate = new DeflaterOutputStream(out, new Deflater())) {
      deflate.write(bytes);
    }
    return out.toByteArray();
  }

  private static Reply exchange(byte[] request) {
    return RawHttp.sendUntilClosed(port, request);
  }
}
