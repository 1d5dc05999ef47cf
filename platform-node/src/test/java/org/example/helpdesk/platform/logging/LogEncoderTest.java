package org.example.helpdesk.platform.logging;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.LoggingEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

class LogEncoderTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private static LoggingEvent event(String message, Throwable error, Map<String, String> mdc) {
    LoggerContext context = new LoggerContext();
    Logger logger = context.getLogger("org.example.helpdesk.backoffice.inbox.CommandConsumer");
    LoggingEvent event =
        new LoggingEvent(Logger.class.getName(), logger, Level.WARN, message, error, null);
    event.setMDCPropertyMap(mdc);
    event.setThreadName("backoffice-pekko.actor.default-dispatcher-5");
    return event;
  }

  private static LogEncoder encoder(String format) {
    LogEncoder encoder = new LogEncoder();
    encoder.setContext(new LoggerContext());
    encoder.setFormat(format);
    encoder.start();
    return encoder;
  }

  @Test
  void textIsOneReadableLineWithTheMdcAndWithoutPekkosBookkeeping() {
    String line =
        new String(
            encoder("text")
                .encode(
                    event(
                        "Dead-lettering message m-1",
                        null,
                        Map.of(
                            "ticketId",
                            "t-1",
                            "traceId",
                            "abc",
                            "sourceActorSystem",
                            "backoffice",
                            "pekkoAddress",
                            "pekko://x"))),
            UTF_8);
    assertTrue(
        line.matches(
            "\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3} WARN  \\[backoffice-pekko\\.actor\\.default-dispatcher-5] "
                + "o\\.e\\.h\\.b\\.inbox\\.CommandConsumer \\{ticketId=t-1, traceId=abc} - Dead-lettering message m-1\\R"),
        line);
  }

  @Test
  void noFieldOfTheTextFormatCanEndTheLineAndForgeAnother() {
    String forged = "2026-01-01 00:00:00.000 ERROR [main] o.e.h.Forged - reset";
    LoggingEvent e =
        event(
            "Dead-lettering message evil\r\n" + forged,
            new IllegalStateException("bad id evil\n" + forged),
            Map.of(
                "messageId",
                "evil\r\n" + forged,
                "bell\u0007",
                "tab\there\u2028x",
                // (the thread a Pekko line names)
                "sourceThread",
                "thread\n" + forged));
    String text = new String(encoder("text").encode(e), UTF_8);
    String[] lines = text.split("\r\n|\r|\n");
    assertTrue(lines[0].contains("Dead-lettering message evil\\r\\n" + forged), text);
    assertTrue(lines[0].contains("messageId=evil\\r\\n" + forged), text);
    assertTrue(lines[0].contains("bell\\u0007=tab\\there\\u2028x"), text);
    assertTrue(lines[0].contains("[thread\\n" + forged + "]"), text);
    for (int i = 1; i < lines.length; i++) {
      // (the stack trace: its lines are indented, the exception's own line included)
      assertFalse(lines[i].startsWith(forged), "line " + i + " of " + text);
      assertTrue(
          lines[i].startsWith("\t") || lines[i].startsWith("java.lang.IllegalStateException"),
          "line " + i + ": " + lines[i]);
    }
  }

  @Test
  void jsonIsOneObjectPerLineWithTheMdcAsFieldsAndNoPasswords() throws Exception {
    String out =
        new String(
            encoder("json")
                .encode(
                    event(
                        "connecting to amqp://helpdesk:hunter2@broker/%2f",
                        new IllegalStateException(
                            "Failed to get driver instance for jdbcUrl=jdbc:postgresql://db/x?password=hunter2"),
                        Map.of("ticketId", "t-1", "level", "clash"))),
            UTF_8);
    assertTrue(out.endsWith("\n"));
    assertEquals(1, out.split("\n").length, out);
    JsonNode line = JSON.readTree(out);
    assertEquals("WARN", line.path("level").asText());
    assertEquals(
        "org.example.helpdesk.backoffice.inbox.CommandConsumer", line.path("logger").asText());
    assertEquals("backoffice-pekko.actor.default-dispatcher-5", line.path("thread").asText());
    assertEquals("connecting to amqp://helpdesk:***@broker/%2f", line.path("message").asText());
    assertEquals("t-1", line.path("ticketId").asText());
    assertEquals("clash", line.path("mdc.level").asText());
    assertTrue(line.path("timestamp").asText().matches("\\d{4}-.*Z"), line.toString());
    assertTrue(line.path("exception").asText().contains("IllegalStateException"), line.toString());
    assertFalse(out.contains("hunter2"), out);
  }

  /** The nodes' own logback.xml with LOG_FORMAT=json: what reaches stdout is JSON lines. */
  @Test
  void theNodesConfigurationWritesJsonLinesWhenAskedTo() throws Exception {
    PrintStream stdout = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    LoggerContext context = new LoggerContext();
    try {
      System.setOut(new PrintStream(captured, true, UTF_8));
      // (the MDC that org.slf4j.MDC writes to)
      context.setMDCAdapter(
          ((LoggerContext) org.slf4j.LoggerFactory.getILoggerFactory()).getMDCAdapter());
      context.putProperty("LOG_FORMAT", "json");
      JoranConfigurator configurator = new JoranConfigurator();
      configurator.setContext(context);
      configurator.doConfigure(LogEncoderTest.class.getResource("/logback.xml"));
      org.slf4j.Logger log = context.getLogger("org.example.helpdesk.customer.issue.IssueRoutes");
      try (LogContext ignored = LogContext.put(LogContext.ISSUE_ID, "i-1")) {
        log.info("reported {}", "i-1");
      }
      log.warn("no context");
      context.stop(); // drains the asynchronous appender
    } finally {
      System.setOut(stdout);
      MDC.clear();
    }
    List<String> lines = captured.toString(UTF_8).lines().toList();
    assertEquals(2, lines.size(), captured.toString(UTF_8));
    JsonNode first = JSON.readTree(lines.get(0));
    assertEquals("reported i-1", first.path("message").asText());
    assertEquals("i-1", first.path("issueId").asText());
    assertEquals("INFO", first.path("level").asText());
    assertTrue(JSON.readTree(lines.get(1)).path("issueId").isMissingNode());
  }
}
