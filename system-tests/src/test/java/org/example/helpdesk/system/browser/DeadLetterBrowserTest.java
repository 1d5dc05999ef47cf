package org.example.helpdesk.system.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.example.helpdesk.testsupport.TestEmployees;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * The dead-letter pages in a real browser: a poison message (a customer pasted a whole night's log
 * into their report, over the 10,000 characters a description may have) is listed, shown, and fixed
 * from its stored body: the corrected-body box starts with that body and the operator cuts the log
 * in it; a first try that breaks the JSON fails, keeps what was typed and shows both errors; the
 * second replays.
 */
class DeadLetterBrowserTest {

  @RegisterExtension static final BrowserFixture helpdesk = new BrowserFixture();

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final By BOX = By.id("body");

  /** Where the test's edit ends the description it cut: the operator's own words. */
  private static final String CUT = "(and the same error for every later batch of the night)";

  /**
   * Cuts the description in the box to its first eight lines and {@link #CUT}, as an operator
   * editing the text would; {@code arguments[1]}: also lose its closing quote (a slip).
   */
  private static final String CUT_THE_LOG =
      "var box = arguments[0], key = '\"description\" : \"';"
          + " var start = box.value.indexOf(key) + key.length;"
          + " var end = box.value.indexOf('\"\\n', start);"
          + " var kept = box.value.substring(start, end).split(arguments[2]).slice(0, 8)"
          + "   .join(arguments[2]) + arguments[2] + arguments[3];"
          + " box.value = box.value.substring(0, start) + kept + (arguments[1] ? '' : '\"')"
          + "   + box.value.substring(end + 1);"
          + " return box.value;";

  @Test
  void aPoisonMessageIsFixedFromItsStoredBodyAndReplayed() throws Exception {
    UUID t = UUID.randomUUID();
    String description = pastedLog();
    assertTrue(description.length() > 10_000, "over the limit: " + description.length());
    String body =
        JSON.createObjectNode()
            .put("ticketId", t.toString())
            .put("ticketType", "customer-issue")
            .put("description", description)
            .toString();
    helpdesk.publish("ticket.prepareTicket", t + ":1", body);

    Browser console = helpdesk.signedIn(TestEmployees.OPERATOR, TestEmployees.OPERATOR_PASSWORD);
    console.open(helpdesk.consoleUrl + "/console/dead-letters");
    // the list is not live: reload until the inbox has given up on the message
    WebElement row =
        console.waitUntil(
            d -> {
              List<WebElement> rows =
                  d.findElements(By.xpath("//tr[.//a[@href='/console/tickets/" + t + "']]"));
              if (rows.isEmpty()) {
                d.navigate().refresh();
                return null;
              }
              return rows.get(0);
            });
    assertTrue(
        row.getText().contains("description must be at most 10000 characters"), row.getText());
    assertTrue(row.getText().contains("ticket.prepareTicket"), row.getText());
    console.waitForText(By.id("inbox-dead-lettered"), "1");
    console.screenshot("console-dead-letters");

    row.findElement(By.cssSelector("a[href^='/console/dead-letters/']")).click();
    console.waitFor(By.id("dead-letter-error"));
    String originalError = console.textOf(By.id("dead-letter-error"));
    assertTrue(originalError.contains("description must be at most 10000 characters"));
    assertEquals("failed", console.textOf(By.id("dead-letter-status")).toLowerCase(Locale.ROOT));
    assertTrue(
        console
            .driver
            .findElement(By.id("dead-letter-body"))
            .getDomProperty("textContent") // (folded when long: not visible text)
            .replaceAll("\\s", "")
            .startsWith("{\"ticketId\":\"" + t + "\""),
        "the body is shown (indented, as it is JSON)");
    // the corrected-body box starts with the stored body, whole
    assertEquals(JSON.readTree(body), JSON.readTree(console.value(BOX)), "the box holds the body");
    console.screenshot("console-dead-letter");

    // the operator cuts the log in the box, and loses the closing quote on the way
    WebElement box = console.waitFor(BOX);
    String broken = (String) console.js().executeScript(CUT_THE_LOG, box, true, "\\n", CUT);
    assertTrue(broken.contains("\"ticketId\" : \"" + t + "\""), broken);
    WebElement replayForm =
        console.driver.findElement(By.xpath("//form[contains(@action, '/replay')]"));
    // replay without the confirmation: the browser does not send it
    assertEquals(
        Boolean.FALSE,
        console.js().executeScript("return arguments[0].checkValidity();", replayForm),
        "the required box stops the form");
    replayForm.findElement(By.name("confirm")).click();
    assertEquals(
        Boolean.TRUE,
        console.js().executeScript("return arguments[0].checkValidity();", replayForm));
    console.clickButton("Replay");

    // it fails again: what was typed is kept, the first error stays and the new one is added
    console.waitForText(By.id("action-error"), "Failed again");
    assertEquals(409, console.status());
    assertEquals(broken, console.value(BOX).replace("\r\n", "\n"), "the box keeps what was typed");
    String errors = console.textOf(By.id("dead-letter-error"));
    assertTrue(errors.startsWith(originalError), errors);
    assertTrue(errors.contains("Last replay"), errors);
    assertTrue(errors.contains("not valid JSON"), errors);
    assertTrue(errors.contains("a line break inside a quoted text"), errors);
    String notice = console.textOf(By.id("action-error"));
    for (String said : List.of(errors, notice)) {
      assertFalse(said.contains("[Source:"), "no parser internals: " + said);
      assertFalse(said.matches("(?s).*(CTRL-CHAR|code \\d+).*"), "no character codes: " + said);
    }
    console.screenshot("console-dead-letter-replay-failed");

    // the operator puts the quote back in the kept text; now it replays
    String fixed =
        (String)
            console
                .js()
                .executeScript(
                    "arguments[0].value = arguments[0].value.replace(arguments[1], arguments[2]);"
                        + " return arguments[0].value;",
                    console.waitFor(BOX),
                    CUT + "\n}",
                    CUT + "\"\n}");
    JsonNode corrected = JSON.readTree(fixed);
    assertEquals(t.toString(), corrected.path("ticketId").asText());
    assertTrue(corrected.path("description").asText().endsWith(CUT));
    console.click(By.cssSelector("form[action$='/replay'] input[name='confirm']"));
    console.clickButton("Replay");
    console.waitForText(By.id("action-notice"), "replayed");
    // the status strip (from the metrics, refreshed every few seconds) follows
    console.waitUntil(
        d ->
            console.textOf(By.id("open-dead-letters")).equals("0")
                && console.textOf(By.id("read-model-lag")).equals("0"));
    console.screenshot("console-dead-letter-replayed");

    console.open(helpdesk.consoleUrl + "/console/tickets/" + t);
    console.waitForText(By.id("ticket-status"), "awaiting");
    String shown = console.textOf(By.id("ticket"));
    assertTrue(shown.contains("no VAT rate for product group 7"), shown);
    assertTrue(shown.contains(CUT), shown);
    assertFalse(shown.contains("batch 12 failed"), "the rest of the log is cut: " + shown);
    console.open(helpdesk.consoleUrl + "/console/dead-letters");
    console.waitFor(By.tagName("table"));
    assertTrue(
        console
            .driver
            .findElements(By.xpath("//tr[.//a[@href='/console/tickets/" + t + "']]"))
            .isEmpty(),
        "no longer listed");
  }

  /** What a customer pasted: a night's log of the billing export, the same error every batch. */
  private static String pastedLog() {
    StringBuilder log =
        new StringBuilder("The nightly billing export stopped again. Here is last night's log:\n");
    for (int batch = 1; log.length() <= 10_300; batch++) {
      log.append(
              String.format(
                  Locale.ROOT,
                  "2026-12-07 02:%02d:%02d,%03d ERROR [export-worker-%d]"
                      + " com.acme.billing.InvoiceExporter - batch %d failed\n",
                  batch * 2,
                  (batch * 17) % 60,
                  (batch * 131) % 1000,
                  batch % 4 + 1,
                  batch))
          .append("java.lang.IllegalStateException: no VAT rate for product group 7 (books)\n")
          .append("\tat com.acme.billing.VatRates.rateFor(VatRates.java:88)\n")
          .append("\tat com.acme.billing.InvoiceExporter.line(InvoiceExporter.java:214)\n")
          .append("\tat com.acme.billing.InvoiceExporter.export(InvoiceExporter.java:131)\n")
          .append("\tat com.acme.billing.NightlyExport.run(NightlyExport.java:58)\n")
          .append("\tat java.base/java.lang.Thread.run(Thread.java:840)\n");
    }
    return log.toString().strip();
  }
}
