package org.example.helpdesk.system.browser;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.AMQP;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.example.helpdesk.amqp.BrokerTopology;
import org.example.helpdesk.backoffice.BackofficeNode;
import org.example.helpdesk.customer.CustomerNode;
import org.example.helpdesk.protocol.AmqpTopology;
import org.example.helpdesk.testsupport.HttpTestClient;
import org.example.helpdesk.testsupport.Sql;
import org.example.helpdesk.testsupport.TestBroker;
import org.example.helpdesk.testsupport.TestEmployees;
import org.example.helpdesk.testsupport.TestNodes;
import org.example.helpdesk.testsupport.TestPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The pages in a real browser: Debian's headless chromium driven by its chromium-driver, against
 * both nodes started in this JVM. The seed scenario through the pages (the console follows it live,
 * without reloading), sign-in failures, role limits, CSRF, a poison message replayed from the
 * dead-letter page, the customer form's error message. Each test saves screenshots of the pages it
 * visits to {@code docs/screenshots/} at the repository root.
 */
class BrowserTest {

  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final long MAX_SCREENSHOT_HEIGHT = 2_000;
  private static final Path SCREENSHOTS = repositoryRoot().resolve("docs").resolve("screenshots");

  private static String customerSchema;
  private static String backofficeSchema;
  private static CustomerNode customerNode;
  private static BackofficeNode backofficeNode;
  private static String customerUrl;
  private static String consoleUrl;
  private static HttpTestClient customerApi;
  private static HttpTestClient backofficeApi;
  private static Sql backofficeSql;
  private static final List<Browser> browsers = new ArrayList<>();

  @BeforeAll
  static void start() throws IOException {
    // Selenium Manager would try to download a driver: the network is closed, use Debian's
    System.setProperty("webdriver.chrome.driver", "/usr/bin/chromedriver");
    Files.createDirectories(SCREENSHOTS);
    TestBroker.deleteQueuesAndExchanges(org.example.helpdesk.system.InboxQueues.all(), List.of());
    customerSchema = TestPostgres.newSchemaName("customer");
    backofficeSchema = TestPostgres.newSchemaName("backoffice");
    // both at once: each takes a few seconds (migrations, cluster, broker)
    CompletableFuture<BackofficeNode> backoffice =
        CompletableFuture.supplyAsync(
            () -> BackofficeNode.start(TestNodes.config(backofficeSchema)));
    CompletableFuture<CustomerNode> customer =
        CompletableFuture.supplyAsync(() -> CustomerNode.start(TestNodes.config(customerSchema)));
    backofficeNode = backoffice.join();
    customerNode = customer.join();
    customerUrl = "http://127.0.0.1:" + customerNode.node().httpAddress().getPort();
    consoleUrl = "http://127.0.0.1:" + backofficeNode.node().httpAddress().getPort();
    customerApi = new HttpTestClient("127.0.0.1", customerNode.node().httpAddress().getPort());
    backofficeApi = new HttpTestClient("127.0.0.1", backofficeNode.node().httpAddress().getPort());
    backofficeSql = new Sql(backofficeSchema);
  }

  @AfterEach
  void closeBrowsers() {
    synchronized (browsers) {
      for (Browser b : browsers) {
        b.close();
      }
      browsers.clear();
    }
  }

  @AfterAll
  static void stop() {
    CompletableFuture<?> customerStopped =
        customerNode == null
            ? CompletableFuture.completedFuture(null)
            : customerNode.node().stop().toCompletableFuture();
    CompletableFuture<?> backofficeStopped =
        backofficeNode == null
            ? CompletableFuture.completedFuture(null)
            : backofficeNode.node().stop().toCompletableFuture();
    CompletableFuture.allOf(customerStopped, backofficeStopped).join();
    TestPostgres.dropSchema(customerSchema);
    TestPostgres.dropSchema(backofficeSchema);
  }

  // ---- the tests -------------------------------------------------------------------------------

  @Test
  void theSeedScenarioThroughThePagesWithTheConsoleFollowingLive() {
    Browser console = signedIn(TestEmployees.OPERATOR, TestEmployees.OPERATOR_PASSWORD);
    console.open(consoleUrl + "/console/tickets");
    console.waitFor(By.id("ticket-rows"));
    console.awaitLive();
    console.markPage();

    // the customer reports an issue on the customer page
    Browser customer = browser();
    customer.open(customerUrl + "/");
    String content = "The printer on floor 3 is on fire " + UUID.randomUUID();
    customer.type(By.name("email"), "johny@example.com");
    customer.type(By.name("content"), content);
    customer.screenshot("customer-report");
    customer.submit(By.name("content"));
    customer.waitUntil(ExpectedConditions.urlMatches("/issues/[0-9a-f-]{36}$"));
    String id = lastSegment(customer.driver.getCurrentUrl());
    customer.waitForText(By.id("status"), "open");
    assertTrue(customer.text().contains(content), customer.text());
    customer.screenshot("customer-issue");

    // the ticket appears on the console's list without reloading
    console.waitFor(By.id("ticket-" + id));
    console.waitForText(By.cssSelector("#ticket-" + id + " .status"), "awaiting");
    assertTrue(
        console.textOf(By.id("ticket-" + id)).contains("The printer on floor 3 is on fire"),
        console.textOf(By.id("ticket-" + id)));
    console.assertNotReloaded();
    console.screenshot("console-tickets");

    // the customer's page hears that support received it, without a reload
    customer.markPage();
    customer.waitForText(By.id("progress"), "Received by our support team");

    // the operator opens it and assigns it
    console.click(By.cssSelector("#ticket-" + id + " a"));
    console.waitUntil(ExpectedConditions.urlToBe(consoleUrl + "/console/tickets/" + id));
    console.waitForText(By.id("ticket-status"), "awaiting");
    console.type(By.id("assignee"), TestEmployees.AGENT);
    console.submit(By.id("assignee"));
    await()
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(100))
        .untilAsserted(
            () -> assertEquals(2L, journalLength(id), "TicketWasPrepared and TicketWasAssigned"));
    console.waitForText(By.id("ticket-assignee"), TestEmployees.AGENT);
    assertTrue(
        console.textOf(By.id("ticket-assignee")).contains(TestEmployees.OPERATOR),
        "who assigned it is shown: " + console.textOf(By.id("ticket-assignee")));
    assertEquals("assigned", console.textOf(By.id("ticket-status")).toLowerCase(Locale.ROOT));
    console.screenshot("console-ticket");
    // and the customer's open page shows the agent at work, still without a reload
    customer.waitForText(By.id("progress"), "An agent is working on it");
    customer.assertNotReloaded();
    customer.screenshot("customer-issue-assigned");
    console.awaitLive();
    console.markPage();

    // the customer closes the issue; the ticket page shows it cancelled without reloading
    customer.click(By.xpath("//button[contains(normalize-space(.), 'Close issue')]"));
    customer.waitForText(By.id("status"), "closed");
    console.waitForText(By.id("ticket-status"), "cancelled");
    console.assertNotReloaded();
    console.screenshot("console-ticket-cancelled");
    customer.screenshot("customer-issue-closed");

    // closing twice is harmless: the page from before closing, if the browser shows it again,
    // closes again
    customer.driver.navigate().back();
    if (!customer
        .driver
        .findElements(By.xpath("//button[contains(normalize-space(.), 'Close issue')]"))
        .isEmpty()) {
      customer.click(By.xpath("//button[contains(normalize-space(.), 'Close issue')]"));
      customer.waitForText(By.id("status"), "closed");
    }

    // and the list says so too
    console.open(consoleUrl + "/console/tickets");
    console.waitForText(By.cssSelector("#ticket-" + id + " .status"), "cancelled");
    assertEquals(3L, journalLength(id), "prepared, assigned, cancelled");
  }

  @Test
  void aWrongPasswordShowsTheErrorAndOpensNoSession() {
    Browser b = browser();
    b.open(consoleUrl + "/console/tickets");
    b.waitUntil(ExpectedConditions.urlToBe(consoleUrl + "/sign-in"));
    b.waitFor(By.id("name"));
    b.screenshot("console-sign-in");

    b.type(By.id("name"), TestEmployees.AGENT);
    b.type(By.id("password"), "not-the-password");
    b.submit(By.id("password"));
    b.waitForText(By.id("sign-in-error"), "Wrong name or password.");
    assertEquals(401, b.status());
    assertEquals(
        TestEmployees.AGENT,
        b.driver.findElement(By.id("name")).getDomProperty("value"),
        "the name stays filled in");
    assertEquals(
        "",
        b.driver.findElement(By.id("password")).getDomProperty("value"),
        "the password does not");
    b.screenshot("console-sign-in-failed");

    // a name nobody has gets the same answer: the page does not tell which names exist
    WebElement firstError = b.driver.findElement(By.id("sign-in-error"));
    b.type(By.id("name"), "nobody");
    b.type(By.id("password"), TestEmployees.AGENT_PASSWORD);
    b.submit(By.id("password"));
    b.waitUntil(ExpectedConditions.stalenessOf(firstError));
    assertEquals("nobody", b.driver.findElement(By.id("name")).getDomProperty("value"));
    b.waitForText(By.id("sign-in-error"), "Wrong name or password.");
    assertEquals(401, b.status());

    b.open(consoleUrl + "/console/tickets");
    b.waitUntil(ExpectedConditions.urlToBe(consoleUrl + "/sign-in"));
    assertTrue(b.driver.findElements(By.id("ticket-rows")).isEmpty());
  }

  @Test
  void anAgentDoesNotSeeDeadLettersAndCannotOpenThem() {
    Browser agent = signedIn(TestEmployees.AGENT, TestEmployees.AGENT_PASSWORD);
    agent.open(consoleUrl + "/console/tickets");
    agent.waitFor(By.id("ticket-rows"));
    assertTrue(
        agent.textOf(By.tagName("nav")).contains(TestEmployees.AGENT + " (agent)"),
        agent.textOf(By.tagName("nav")));
    assertTrue(
        agent.driver.findElements(By.linkText("Dead letters")).isEmpty(),
        "no dead letters link for an agent");
    assertTrue(
        agent.driver.findElements(By.cssSelector("a[href^='/console/dead-letters']")).isEmpty());

    agent.open(consoleUrl + "/console/dead-letters");
    agent.waitForText(By.tagName("h1"), "Not allowed");
    assertEquals(403, agent.status());
    assertTrue(agent.text().contains("operator"), agent.text());
    assertTrue(agent.driver.findElements(By.tagName("table")).isEmpty(), "no dead letters shown");
    agent.screenshot("console-not-allowed");

    // and the operator does see the link
    Browser operator = signedIn(TestEmployees.OPERATOR, TestEmployees.OPERATOR_PASSWORD);
    operator.open(consoleUrl + "/console/tickets");
    operator.waitFor(By.linkText("Dead letters"));

    // signing out ends the agent's session
    agent.open(consoleUrl + "/console/tickets");
    agent.click(By.xpath("//button[normalize-space(.)='Sign out']"));
    agent.waitUntil(ExpectedConditions.urlToBe(consoleUrl + "/sign-in"));
    agent.open(consoleUrl + "/console/tickets");
    agent.waitUntil(ExpectedConditions.urlToBe(consoleUrl + "/sign-in"));
  }

  @Test
  void aFormWithAnAlteredCsrfTokenIsRejectedAndChangesNothing() {
    UUID id = reportAndAwaitTicket("CSRF target " + UUID.randomUUID());
    Browser console = signedIn(TestEmployees.OPERATOR, TestEmployees.OPERATOR_PASSWORD);
    console.open(consoleUrl + "/console/tickets/" + id);
    console.waitForText(By.id("ticket-status"), "awaiting");

    WebElement assignee = console.waitFor(By.id("assignee"));
    WebElement csrf = assignee.findElement(By.xpath("./ancestor::form//input[@name='csrf']"));
    console.js().executeScript("arguments[0].value = 'forged-' + arguments[0].value;", csrf);
    console.type(By.id("assignee"), "mallory");
    console.submit(By.id("assignee"));
    console.waitForText(By.tagName("h1"), "Form expired");
    assertEquals(403, console.status());
    assertTrue(console.text().contains("CSRF"), console.text());
    console.screenshot("console-csrf-rejected");

    assertEquals(1L, journalLength(id), "only TicketWasPrepared");
    console.open(consoleUrl + "/console/tickets/" + id);
    console.waitForText(By.id("ticket-status"), "awaiting");
    assertFalse(console.textOf(By.id("ticket-assignee")).contains("mallory"));

    // the cancel form too
    console.click(By.cssSelector("input[name='confirm']"));
    WebElement cancelCsrf =
        console.driver.findElement(
            By.xpath("//form[contains(@action, '/cancel')]//input[@name='csrf']"));
    console.js().executeScript("arguments[0].value = '';", cancelCsrf);
    console.click(By.xpath("//button[normalize-space(.)='Cancel ticket']"));
    console.waitForText(By.tagName("h1"), "Form expired");
    assertEquals(403, console.status());
    assertEquals(1L, journalLength(id), "not cancelled");
  }

  @Test
  void aPoisonMessageIsShownOnTheDeadLetterPageAndReplayedWithACorrectedBody() {
    UUID t = UUID.randomUUID();
    publish(
        "ticket.prepareTicket",
        t + ":1",
        "{\"ticketId\":\""
            + t
            + "\",\"ticketType\":\"customer-issue\",\"description\":\""
            + "x".repeat(10_001)
            + "\"}");

    Browser console = signedIn(TestEmployees.OPERATOR, TestEmployees.OPERATOR_PASSWORD);
    console.open(consoleUrl + "/console/dead-letters");
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
    assertTrue(
        console
            .textOf(By.id("dead-letter-error"))
            .contains("description must be at most 10000 characters"));
    assertEquals("failed", console.textOf(By.id("dead-letter-status")).toLowerCase(Locale.ROOT));
    assertTrue(
        console
            .driver
            .findElement(By.id("dead-letter-body"))
            .getDomProperty("textContent") // (folded when long: not visible text)
            .replaceAll("\\s", "")
            .startsWith("{\"ticketId\":\"" + t + "\""),
        "the body is shown (indented, as it is JSON)");
    console.screenshot("console-dead-letter");

    // replay without the confirmation: the browser does not send it
    String corrected =
        "{\"ticketId\":\""
            + t
            + "\",\"ticketType\":\"customer-issue\",\"description\":\"fixed in the browser\"}";
    console.type(By.id("body"), corrected);
    WebElement replayForm =
        console.driver.findElement(By.xpath("//form[contains(@action, '/replay')]"));
    assertEquals(
        Boolean.FALSE,
        console.js().executeScript("return arguments[0].checkValidity();", replayForm),
        "the required box stops the form");
    replayForm.findElement(By.name("confirm")).click();
    assertEquals(
        Boolean.TRUE,
        console.js().executeScript("return arguments[0].checkValidity();", replayForm));
    console.click(By.xpath("//button[normalize-space(.)='Replay']"));
    console.waitForText(By.id("action-notice"), "replayed");
    console.screenshot("console-dead-letter-replayed");

    console.open(consoleUrl + "/console/tickets/" + t);
    console.waitForText(By.id("ticket-status"), "awaiting");
    assertTrue(console.text().contains("fixed in the browser"), console.text());
    console.open(consoleUrl + "/console/dead-letters");
    console.waitFor(By.tagName("table"));
    assertTrue(
        console
            .driver
            .findElements(By.xpath("//tr[.//a[@href='/console/tickets/" + t + "']]"))
            .isEmpty(),
        "no longer listed");
  }

  @Test
  void theCustomerFormShowsTheServersMessageForAnInvalidEmail() {
    Browser customer = browser();
    customer.open(customerUrl + "/");
    // the browser's own check passes "johny@example" (no dot needed); the server's does not
    customer.type(By.name("email"), "johny@example");
    customer.type(By.name("content"), "My e-mail address is not quite right");
    customer.submit(By.name("content"));
    customer.waitForText(By.id("form-error"), "E-mail address must be a valid e-mail address");
    assertEquals(400, customer.status());
    assertFalse(
        customer.driver.getCurrentUrl().matches(".*/issues/[0-9a-f-]{36}$"),
        customer.driver.getCurrentUrl());
    assertEquals(
        "My e-mail address is not quite right",
        customer.driver.findElement(By.name("content")).getDomProperty("value"),
        "what was typed is kept");
    customer.screenshot("customer-report-invalid");
  }

  // ---- helpers ---------------------------------------------------------------------------------

  /** A browser signed in to the console. */
  private static Browser signedIn(String name, String password) {
    Browser b = browser();
    b.open(consoleUrl + "/sign-in");
    b.type(By.id("name"), name);
    b.type(By.id("password"), password);
    b.submit(By.id("password"));
    b.waitUntil(ExpectedConditions.urlToBe(consoleUrl + "/console/tickets"));
    return b;
  }

  private static Browser browser() {
    Browser b = new Browser();
    synchronized (browsers) {
      browsers.add(b);
    }
    return b;
  }

  private static UUID reportAndAwaitTicket(String content) {
    HttpTestClient.Response reported =
        customerApi.postJson(
            "/issues", "{\"email\":\"csrf@example.com\",\"content\":\"" + content + "\"}");
    assertEquals(201, reported.status(), reported.toString());
    UUID id = UUID.fromString(reported.json().path("issueId").asText());
    await()
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(100))
        .until(() -> backofficeApi.get("/tickets/" + id).status() == 200);
    return id;
  }

  /** How many events the ticket's journal holds. */
  private static long journalLength(Object ticketId) {
    return backofficeSql.count(
        "SELECT count(*) FROM event_journal WHERE persistence_id = ?", "Ticket|" + ticketId);
  }

  private static void publish(String type, String messageId, String body) {
    AMQP.BasicProperties properties =
        new AMQP.BasicProperties.Builder()
            .type(type)
            .messageId(messageId)
            .contentType("application/json")
            .deliveryMode(2)
            .build();
    TestBroker.publish(
        BrokerTopology::declare,
        AmqpTopology.COMMANDS_EXCHANGE,
        AmqpTopology.BACKOFFICE_ROUTING_KEY,
        properties,
        body.getBytes(StandardCharsets.UTF_8));
  }

  private static String lastSegment(String url) {
    Matcher m = Pattern.compile("/issues/([0-9a-f-]{36})$").matcher(url);
    assertTrue(m.find(), url);
    return m.group(1);
  }

  /** The repository's root: the parent of the system-tests module, where Maven runs the tests. */
  private static Path repositoryRoot() {
    Path here = Paths.get("").toAbsolutePath();
    return here.getFileName() != null && here.getFileName().toString().equals("system-tests")
        ? here.getParent()
        : here;
  }

  private static void log(String what) {
    System.out.println(java.time.LocalTime.now() + " [browser] " + what);
  }

  /** One headless chromium with its own driver and profile. */
  private static final class Browser implements AutoCloseable {

    final WebDriver driver;
    final WebDriverWait wait;
    private final Path profile;

    Browser() {
      try {
        profile = Files.createTempDirectory("helpdesk-chromium");
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
      ChromeOptions options = new ChromeOptions();
      options.setBinary("/usr/bin/chromium");
      options.addArguments(
          "--headless=new",
          "--no-sandbox",
          "--disable-gpu",
          "--disable-dev-shm-usage",
          "--disable-quic",
          "--no-first-run",
          "--disable-background-networking",
          "--disable-component-update",
          "--disable-sync",
          "--window-size=1280,900",
          "--user-data-dir=" + profile);
      ChromeDriverService service =
          new ChromeDriverService.Builder()
              .usingDriverExecutable(new File("/usr/bin/chromedriver"))
              .usingAnyFreePort()
              .build();
      long start = System.nanoTime();
      driver = new ChromeDriver(service, options);
      wait = new WebDriverWait(driver, WAIT);
      log("chromium started in " + (System.nanoTime() - start) / 1_000_000 + " ms");
    }

    void open(String url) {
      long start = System.nanoTime();
      driver.get(url);
      log("opened " + url + " in " + (System.nanoTime() - start) / 1_000_000 + " ms");
    }

    WebElement waitFor(By by) {
      return wait.until(ExpectedConditions.visibilityOfElementLocated(by));
    }

    /** Waits until the element's text contains {@code text}, in any letter case. */
    void waitForText(By by, String text) {
      String wanted = text.toLowerCase(Locale.ROOT);
      try {
        wait.until(
            d -> {
              try {
                return d.findElement(by).getText().toLowerCase(Locale.ROOT).contains(wanted);
              } catch (org.openqa.selenium.NoSuchElementException
                  | org.openqa.selenium.StaleElementReferenceException e) {
                return false;
              }
            });
      } catch (org.openqa.selenium.TimeoutException e) {
        throw new AssertionError(
            "no \""
                + text
                + "\" in "
                + by
                + " at "
                + driver.getCurrentUrl()
                + "; the page says:\n"
                + text(),
            e);
      }
    }

    <T> T waitUntil(java.util.function.Function<? super WebDriver, T> condition) {
      try {
        return wait.until(condition);
      } catch (org.openqa.selenium.TimeoutException e) {
        throw new AssertionError(
            e.getMessage() + " at " + driver.getCurrentUrl() + "; the page says:\n" + text(), e);
      }
    }

    void type(By by, String text) {
      WebElement field = waitFor(by);
      field.clear();
      field.sendKeys(text);
    }

    void click(By by) {
      wait.until(ExpectedConditions.elementToBeClickable(by)).click();
    }

    /** Submits the form of this field as its submit button would (with the browser's checks). */
    void submit(By field) {
      WebElement f = waitFor(field);
      WebElement button =
          f.findElement(By.xpath("./ancestor::form//button[not(@type) or @type='submit']"));
      button.click();
    }

    String text() {
      try {
        return driver.findElement(By.tagName("body")).getText();
      } catch (RuntimeException e) {
        return "(no page: " + e.getMessage() + ")";
      }
    }

    /** The element's text; read again when htmx has just swapped the element out. */
    String textOf(By by) {
      return waitUntil(
          d -> {
            try {
              return d.findElement(by).getText().strip();
            } catch (org.openqa.selenium.StaleElementReferenceException e) {
              return null;
            }
          });
    }

    /** The HTTP status of the response that made the current page. */
    int status() {
      Object status =
          js().executeScript(
                  "return performance.getEntriesByType('navigation')[0].responseStatus;");
      return ((Number) status).intValue();
    }

    JavascriptExecutor js() {
      return (JavascriptExecutor) driver;
    }

    /** Waits until the page's server-sent events stream (htmx's sse extension) is open. */
    void awaitLive() {
      waitUntil(
          d ->
              Boolean.TRUE.equals(
                  js().executeScript(
                          "try { var e = document.querySelector('[sse-connect]');"
                              + " var s = e && e['htmx-internal-data'] && e['htmx-internal-data'].sseEventSource;"
                              + " return !!s && s.readyState === 1; } catch (x) { return false; }")));
    }

    /** Marks the page: a reload or navigation loses the mark. */
    void markPage() {
      js().executeScript("window.__notReloaded = true;");
    }

    void assertNotReloaded() {
      assertEquals(
          Boolean.TRUE,
          js().executeScript("return window.__notReloaded === true;"),
          "the page was reloaded");
    }

    /**
     * The whole page (up to {@link #MAX_SCREENSHOT_HEIGHT} pixels down) as
     * docs/screenshots/{name}.png.
     */
    void screenshot(String name) {
      try {
        Files.write(SCREENSHOTS.resolve(name + ".png"), fullPage());
        log("screenshot " + name + ".png of " + driver.getCurrentUrl());
      } catch (IOException e) {
        throw new IllegalStateException("screenshot " + name, e);
      }
    }

    @SuppressWarnings("unchecked")
    private byte[] fullPage() {
      try {
        Map<String, Object> metrics =
            ((ChromeDriver) driver).executeCdpCommand("Page.getLayoutMetrics", Map.of());
        Map<String, Object> size = (Map<String, Object>) metrics.get("cssContentSize");
        long width = ((Number) size.get("width")).longValue();
        long height = Math.min(((Number) size.get("height")).longValue(), MAX_SCREENSHOT_HEIGHT);
        Map<String, Object> shot =
            ((ChromeDriver) driver)
                .executeCdpCommand(
                    "Page.captureScreenshot",
                    Map.of(
                        "format",
                        "png",
                        "captureBeyondViewport",
                        true,
                        "clip",
                        Map.of("x", 0, "y", 0, "width", width, "height", height, "scale", 1)));
        return java.util.Base64.getDecoder().decode((String) shot.get("data"));
      } catch (RuntimeException e) {
        log("full-page screenshot failed (" + e.getMessage() + "), taking the window");
        return ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES);
      }
    }

    @Override
    public void close() {
      try {
        driver.quit();
      } finally {
        try (Stream<Path> files = Files.walk(profile)) {
          files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
          // a temp dir left behind
        }
      }
    }
  }
}
