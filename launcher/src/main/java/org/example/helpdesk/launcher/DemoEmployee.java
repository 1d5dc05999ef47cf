package org.example.helpdesk.launcher;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

/** The operator the one-command path signs in with: a new random password at every start. */
record DemoEmployee(String password, String hash) {

  static final String NAME = "demo";

  static DemoEmployee generate() {
    byte[] bytes = new byte[15];
    new SecureRandom().nextBytes(bytes);
    String password = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    return new DemoEmployee(password, new BCryptPasswordEncoder(10).encode(password));
  }

  /** The {@code EMPLOYEES} entry (only the hash: the password is printed once and kept nowhere). */
  String entry() {
    return NAME + ":operator:" + hash;
  }

  String basicAuthorization() {
    return "Basic "
        + Base64.getEncoder()
            .encodeToString((NAME + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public String toString() {
    return "DemoEmployee[" + NAME + "]";
  }
}
