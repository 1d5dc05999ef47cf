package org.example.helpdesk.backoffice.auth;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

/**
 * Prints the bcrypt hash of a password read from standard input (one line), for an {@code
 * EMPLOYEES} entry: {@code echo -n secret | java -cp backoffice-node.jar
 * org.example.helpdesk.backoffice.auth.HashPassword}.
 */
public final class HashPassword {

  private HashPassword() {}

  public static void main(String[] args) throws Exception {
    String password =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
    if (password == null || password.length() < 8) {
      System.err.println("give a password of at least 8 characters on standard input");
      System.exit(2);
    }
    System.out.println(
        new BCryptPasswordEncoder(args.length > 0 ? Integer.parseInt(args[0]) : 10)
            .encode(password));
  }
}
