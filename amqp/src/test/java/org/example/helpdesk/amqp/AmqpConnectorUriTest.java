package org.example.helpdesk.amqp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * An AMQP URI the client library would read only in part (taking its defaults for the rest: guest,
 * localhost:5672, the default virtual host) is refused, with what is wrong and no password.
 */
class AmqpConnectorUriTest {

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "amqp://guest:guest@localhost:5672/%2f",
        "amqp://localhost",
        "amqps://u:p%40ss@broker.example:5671/vh",
        "amqp://u:p@127.0.0.1/vh?heartbeat=10"
      })
  void goodUris(String uri) {
    assertNull(AmqpConnector.uriProblem(uri));
    new AmqpConnector(uri, "uri-test");
  }

  @ParameterizedTest(name = "{0}: {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "amqp://probeuser:S3cret@127.0.0.1:notaport/probe_vh | the port 'notaport' is not a number",
        "http://localhost:5672/ | the scheme must be amqp:// or amqps://",
        "amqp:///vh | no host",
        "amqp://localhost:70000/ | the port 70000 is not between 1 and 65535",
        "amqp://localhost/a/b | the virtual host must be one path segment",
        "amqp://:S3cret@localhost/ | a password without a user name",
        "amqp://u:S3cret@local host/ | not a URI"
      })
  void badUrisAreRefusedNeverReplacedByDefaults(String uri, String problem) {
    String found = AmqpConnector.uriProblem(uri);
    assertTrue(found != null && found.startsWith(problem), found);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> new AmqpConnector(uri, "uri-test"));
    assertTrue(e.getMessage().contains(problem), e.getMessage());
    assertFalse(e.getMessage().contains("S3cret"), e.getMessage());
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"amqp://probeuser:S3cret@127.0.0.1:notaport/probe_vh"})
  void theMessageShowsTheUriMasked(String uri) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> new AmqpConnector(uri, "uri-test"));
    assertEquals(
        "invalid AMQP URI amqp://probeuser:***@127.0.0.1:notaport/probe_vh: the port 'notaport' is"
            + " not a number",
        e.getMessage());
  }
}
