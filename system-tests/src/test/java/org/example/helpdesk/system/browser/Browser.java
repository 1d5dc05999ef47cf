package org.example.helpdesk.system.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.Base64;
import java.util.Comparator;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.NoSuchElementException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * One headless chromium (Debian's, driven by its chromium-driver) with its own profile, and what
 * the browser tests do with it: open, type, submit, wait for a text, tell whether the page was
 * reloaded, and save a screenshot of the whole page to {@code docs/screenshots/}.
 */
final class Browser implements AutoCloseable {

  static final Duration WAIT = Duration.ofSeconds(20);
  private static final long MAX_SCREENSHOT_HEIGHT = 2_000;

  /** Where the screenshots go: docs/screenshots at the repository's root. */
  static final Path SCREENSHOTS = repositoryRoot().resolve("docs").resolve("screenshots");

  final WebDriver driver;
  final WebDriverWait wait;
  private final Path profile;

  Browser() {
    // Selenium Manager would try to download a driver: the network is closed, use Debian's
    System.setProperty("webdriver.chrome.driver", "/usr/bin/chromedriver");
    try {
      Files.createDirectories(SCREENSHOTS);
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
    // (an element htmx swapped out between finding and reading it: the next poll finds the new one)
    wait.ignoring(StaleElementReferenceException.class);
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
            } catch (NoSuchElementException | StaleElementReferenceException e) {
              return false;
            }
          });
    } catch (TimeoutException e) {
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

  <T> T waitUntil(Function<? super WebDriver, T> condition) {
    try {
      return wait.until(condition);
    } catch (TimeoutException e) {
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

  /** Clicks the button whose text is {@code label}. */
  void clickButton(String label) {
    click(By.xpath("//button[normalize-space(.)='" + label + "']"));
  }

  /** Submits the form of this field as its submit button would (with the browser's checks). */
  void submit(By field) {
    WebElement f = waitFor(field);
    WebElement button =
        f.findElement(By.xpath("./ancestor::form//button[not(@type) or @type='submit']"));
    button.click();
  }

  /** The field's current value (what the user typed or the page filled in). */
  String value(By field) {
    return driver.findElement(field).getDomProperty("value");
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
          } catch (StaleElementReferenceException e) {
            return null;
          }
        });
  }

  /**
   * A {@code <time>}'s {@code datetime} and its text, read together once the text is {@code shown}
   * that way (the pages' script rewrites it; htmx may swap the element out meanwhile).
   */
  String[] timeOf(By by, Pattern shown) {
    return waitUntil(
        d -> {
          try {
            WebElement time = d.findElement(by);
            String text = time.getText().strip();
            return shown.matcher(text).matches()
                ? new String[] {time.getDomAttribute("datetime"), text}
                : null;
          } catch (NoSuchElementException | StaleElementReferenceException e) {
            return null;
          }
        });
  }

  /** From now on the browser is a viewer in {@code zone} (an IANA id, e.g. Europe/Berlin). */
  void inTimeZone(String zone) {
    ((ChromeDriver) driver)
        .executeCdpCommand("Emulation.setTimezoneOverride", Map.of("timezoneId", zone));
  }

  /** The HTTP status of the response that made the current page. */
  int status() {
    Object status =
        js().executeScript("return performance.getEntriesByType('navigation')[0].responseStatus;");
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
      return Base64.getDecoder().decode((String) shot.get("data"));
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

  static void log(String what) {
    System.out.println(java.time.LocalTime.now() + " [browser] " + what);
  }

  /** The repository's root: the parent of the system-tests module, where Maven runs the tests. */
  private static Path repositoryRoot() {
    Path here = Paths.get("").toAbsolutePath();
    return here.getFileName() != null && here.getFileName().toString().equals("system-tests")
        ? here.getParent()
        : here;
  }
}
