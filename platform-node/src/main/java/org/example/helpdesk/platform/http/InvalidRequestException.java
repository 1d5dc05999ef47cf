package org.example.helpdesk.platform.http;

/** A request body or parameter that breaks the API's rules; the message names the problem. */
public final class InvalidRequestException extends RuntimeException {

  public InvalidRequestException(String message) {
    super(message, null, false, false);
  }
}
