package org.example.helpdesk.platform.http;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import org.apache.pekko.http.javadsl.marshallers.jackson.Jackson;
import org.apache.pekko.http.javadsl.marshalling.Marshaller;
import org.apache.pekko.http.javadsl.model.RequestEntity;
import org.example.helpdesk.protocol.StrictJson;

/**
 * The JSON of the HTTP APIs: ISO-8601 times, and strict reading: unknown fields, a number where a
 * string belongs and trailing garbage are errors the client hears about, not guesses.
 */
public final class Json {

  public static final ObjectMapper MAPPER = createMapper();

  private Json() {}

  public static <T> Marshaller<T, RequestEntity> marshaller() {
    return Jackson.marshaller(MAPPER);
  }

  private static ObjectMapper createMapper() {
    return StrictJson.build(
        StrictJson.builder()
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            // an API client sending a field the API does not know has made a mistake
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES));
  }
}
