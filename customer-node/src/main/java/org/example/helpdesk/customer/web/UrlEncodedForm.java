package org.example.helpdesk.customer.web;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.ByteArrayOutputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import org.example.helpdesk.platform.http.InvalidRequestException;
import org.example.helpdesk.protocol.TextRules;

/**
 * A form body ({@code application/x-www-form-urlencoded}) read as strictly as the JSON bodies are:
 * well-formed percent-encoding of well-formed UTF-8, each field once. (Pekko's form decoder turns
 * broken bytes into U+FFFD, which would be stored, and keeps the last of repeated fields.)
 */
final class UrlEncodedForm {

  private UrlEncodedForm() {}

  /** The fields by name; an {@link InvalidRequestException} names what is malformed. */
  static Map<String, String> parse(byte[] body) {
    Map<String, String> fields = new LinkedHashMap<>();
    for (String pair : new String(body, ISO_8859_1).split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String name = decode(eq < 0 ? pair : pair.substring(0, eq));
      if (fields.putIfAbsent(name, eq < 0 ? "" : decode(pair.substring(eq + 1))) != null) {
        throw new InvalidRequestException(
            "malformed form: field '"
                + (name.length() > 40 ? name.substring(0, 40) + "..." : name)
                + "' sent twice");
      }
    }
    return fields;
  }

  private static String decode(String encoded) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(encoded.length());
    for (int i = 0; i < encoded.length(); i++) {
      char c = encoded.charAt(i);
      if (c == '%'
          && i + 2 < encoded.length()
          && hex(encoded.charAt(i + 1)) >= 0
          && hex(encoded.charAt(i + 2)) >= 0) {
        bytes.write(hex(encoded.charAt(i + 1)) * 16 + hex(encoded.charAt(i + 2)));
        i += 2;
      } else if (c == '+') {
        bytes.write(' ');
      } else if (c > ' ' && c < 0x7F && c != '%') {
        bytes.write(c);
      } else {
        throw new InvalidRequestException("malformed form: not percent-encoded");
      }
    }
    byte[] decoded = bytes.toByteArray();
    if (!TextRules.isWellFormedUtf8(decoded)) {
      throw new InvalidRequestException("malformed form: not valid UTF-8");
    }
    return new String(decoded, UTF_8);
  }

  private static int hex(char c) {
    return Character.digit(c, 16);
  }
}
