package org.example.helpdesk.testsupport;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A node under test that a test class declares in one line and that stops itself after the class's
 * last test:
 *
 * <pre>{@code @RegisterExtension static final BackofficeTestNode node = new BackofficeTestNode();}
 * </pre>
 *
 * The node starts where the static field is initialised, when JUnit takes up the class: before its
 * {@code @BeforeAll} methods, which may use it. It stops after the class's {@code @AfterAll}
 * methods, whether the tests passed or not.
 */
public interface NodeExtension extends AfterAllCallback, AutoCloseable {

  /** Stops the node and drops what it left behind (its schema). */
  @Override
  void close();

  @Override
  default void afterAll(ExtensionContext context) {
    close();
  }
}
