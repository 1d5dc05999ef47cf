package org.example.helpdesk.backoffice.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import org.example.helpdesk.backoffice.BackofficeTestNode;
import org.example.helpdesk.platform.web.PageTime;
import org.example.helpdesk.testsupport.TestEmployees;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The console in headless Chromium (Debian's chromium and chromium-driver; skipped without them),
 * as a viewer in Berlin: a cancelled ticket's open page loses its forms on the live update, its
 * times in the viewer's zone in the pages' one format, and the console fits 375 px.
 */
class ConsoleBrowserTest {

  @RegisterExtension static final BackofficeTestNode node = new BackofficeTestNode();
  private static WebDriver driver;
  private static WebDriverWait wait;
  private static final DateTimeFormatter BERLIN =
      DateTimeFormatter.ofPattern("d MMMM uuuu, HH:mm:ss", Locale.ENGLISH)
          .withZone(ZoneId.of("Europe/Berlin"));

  @BeforeAll
  static void start() throws Exception {
    assumeTrue(
        new File("/usr/bin/chromium").canExecute()
            && new File("/usr/bin/chromedriver").canExecute(),
        "no chromium here");
    Path profile = Files.createTempDirectory("console-chromium");
    ChromeOptions options = new ChromeOptions();
    options.setBinary("/usr/bin/chromium");
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--window-size=1280,900",
        "--user-data-dir=" + profile);
    driver =
        new ChromeDriver(
            new ChromeDriverService.Builder()
                .usingDriverExecutable(new File("/usr/bin/chromedriver"))
                .usingAnyFreePort()
                .build(),
            options);
    wait = new WebDriverWait(driver, Duration.ofSeconds(20));
    // htmx swaps the ticket's details on a live update: an element found just before the swap is
    // stale when read, and the next poll finds the new one
    wait.ignoring(StaleElementReferenceException.class);
    // a viewer in Berlin: the pages' times are written in UTC, the script writes them in Berlin's
    ((ChromeDriver) driver)
        .executeCdpCommand(
            "Emulation.setTimezoneOverride", Map.of("timezoneId", BERLIN.getZone().getId()));
    driver.get(base() + "/sign-in");
    driver.findElement(By.id("name")).sendKeys(TestEmployees.AGENT);
    driver.findElement(By.id("password")).sendKeys(TestEmployees.AGENT_PASSWORD);
    driver.findElement(By.cssSelector("form[action='/sign-in'] button")).click();
    wait.until(d -> d.getCurrentUrl().endsWith("/console/tickets"));
  }

  @AfterAll
  static void stop() {
    if (driver != null) {
      driver.quit();
    }
  }

  @Test
  void aCancelledTicketsOpenPageLosesItsFormsOnTheLiveUpdate() {
    String id = createTicket("cancelled while open");
    driver.manage().window().setSize(new Dimension(1280, 900));
    driver.get(base() + "/console/tickets/" + id);
    wait.until(d -> !d.findElements(By.cssSelector("form[action$='/assign']")).isEmpty());
    // the shared script wrote the time in the viewer's zone (Berlin), in the pages' one format,
    // keeping the server's UTC text as its title
    // (read at once: htmx may swap the details in between)
    String[] prepared =
        wait.until(
            d -> {
              WebElement t = d.findElement(By.cssSelector("#ticket time"));
              String title = t.getAttribute("title");
              return title == null || title.isEmpty()
                  ? null
                  : new String[] {t.getAttribute("datetime"), title, t.getText()};
            });
    Instant at = Instant.parse(prepared[0]);
    assertEquals(PageTime.text(at), prepared[1]);
    String berlin = BERLIN.format(at);
    assertTrue(
        prepared[2].matches(Pattern.quote(berlin) + " CES?T"),
        prepared[2] + " is not " + berlin + " CET");

    var cancelled = node.http.postJson("/tickets/" + id + "/cancel", "");
    assertEquals(200, cancelled.status(), cancelled::toString);

    wait.until(d -> d.findElement(By.id("ticket-status")).getText().equals("cancelled"));
    wait.until(d -> d.findElements(By.cssSelector("form[action$='/assign']")).isEmpty());
    assertTrue(driver.findElements(By.cssSelector("form[action$='/cancel']")).isEmpty());
  }

  @Test
  void theConsoleFitsANarrowScreen() {
    createTicket("seen on a phone " + "with a long description ".repeat(5));
    driver.manage().window().setSize(new Dimension(375, 800));
    driver.get(base() + "/console/tickets");
    WebElement signOut =
        wait.until(d -> d.findElement(By.cssSelector("form[action='/sign-out'] button")));
    assertTrue(signOut.isDisplayed());
    long innerWidth = number("return window.innerWidth");
    long right = number("return Math.ceil(arguments[0].getBoundingClientRect().right)", signOut);
    assertTrue(right <= innerWidth, "Sign out within the screen: " + right + " > " + innerWidth);
    long pageWidth = number("return document.documentElement.scrollWidth");
    assertTrue(
        pageWidth <= innerWidth, "the page does not scroll sideways: " + pageWidth + " px wide");
  }

  private static long number(String script, Object... args) {
    return ((Number) ((JavascriptExecutor) driver).executeScript(script, args)).longValue();
  }

  private static String base() {
    return "http://127.0.0.1:" + node.port();
  }

  private static String createTicket(String description) {
    var created =
        node.http.postJson(
            "/tickets", "{\"ticketType\":\"internal\",\"description\":\"" + description + "\"}");
    assertEquals(201, created.status(), created::toString);
    String id = created.json().path("ticketId").asText();
    node.awaitStatus(UUID.fromString(id), "awaiting");
    return id;
  }
}
