package org.example.helpdesk.backoffice.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Locale;
import java.util.Map;
import org.example.helpdesk.backoffice.BackofficeTestNode;
import org.example.helpdesk.backoffice.Browser;
import org.example.helpdesk.backoffice.Browser.Page;
import org.example.helpdesk.testsupport.TestEmployees;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The sign-in page over HTTP, as a browser uses it: form token, session cookie, sign-out. */
class SignInPageTest {

  @RegisterExtension static final BackofficeTestNode node = new BackofficeTestNode();

  @Test
  void theFormComesWithACookieThatItsTokenMustMatch() {
    Browser browser = node.browser();

    Page form = browser.get("/sign-in");

    assertEquals(200, form.status());
    assertTrue(form.header("Content-Type").startsWith("text/html"), form.header("Content-Type"));
    String cookie = form.setCookie("helpdesk_signin");
    assertNotNull(cookie, "the form's cookie");
    assertTrue(attributes(cookie).contains("httponly"), cookie);
    assertTrue(attributes(cookie).contains("samesite=strict"), cookie);
    assertEquals(browser.cookie("helpdesk_signin"), form.csrf());
    assertTrue(
        form.body().contains("<label for=\"name\">")
            && form.body().contains("<label for=\"password\">"),
        "labelled fields");
  }

  @Test
  void theRightPasswordOpensASessionInAnHttpOnlyStrictCookie() {
    Browser browser = node.browser();
    Page form = browser.get("/sign-in");

    Page signedIn =
        browser.postForm(
            "/sign-in",
            Map.of(
                "csrf",
                form.csrf(),
                "name",
                TestEmployees.AGENT,
                "password",
                TestEmployees.AGENT_PASSWORD));

    assertEquals(303, signedIn.status(), signedIn::toString);
    assertEquals("/console/tickets", signedIn.header("Location"));
    String session = signedIn.setCookie(Access.SESSION_COOKIE);
    assertNotNull(session, "the session cookie");
    String attributes = attributes(session);
    assertTrue(attributes.contains("httponly"), session);
    assertTrue(attributes.contains("samesite=strict"), session);
    assertTrue(attributes.contains("path=/"), session);
    assertTrue(attributes.contains("max-age="), session);
    Page tickets = browser.get("/console/tickets");
    assertEquals(200, tickets.status(), tickets::toString);
    assertTrue(
        tickets.body().contains(TestEmployees.AGENT + " (agent)"),
        "the page says who is signed in");
  }

  @Test
  void aWrongPasswordShowsTheFormAgainWithAMessage() {
    Browser browser = node.browser();

    Page wrong = browser.signInAttempt(TestEmployees.AGENT, "not-the-password");

    assertEquals(401, wrong.status(), wrong::toString);
    assertTrue(wrong.header("Content-Type").startsWith("text/html"));
    assertTrue(wrong.body().contains("Wrong name or password."), wrong::toString);
    assertTrue(
        wrong.body().contains("value=\"" + TestEmployees.AGENT + "\""), "the name stays filled in");
    assertNull(wrong.setCookie(Access.SESSION_COOKIE));
    assertEquals(401, browser.signInAttempt("nobody", "whatever").status());
    browser.signIn(TestEmployees.AGENT, TestEmployees.AGENT_PASSWORD);
  }

  @Test
  void aMissingOrWrongFormTokenIsRefused() {
    Browser browser = node.browser();
    String token = browser.get("/sign-in").csrf();
    Map<String, String> credentials =
        Map.of("name", TestEmployees.OPERATOR, "password", TestEmployees.OPERATOR_PASSWORD);

    Page missing = browser.postForm("/sign-in", credentials);
    Page wrong = browser.postForm("/sign-in", with(credentials, "csrf", token + "x"));
    Browser noCookie = node.browser();
    Page withoutCookie = noCookie.postForm("/sign-in", with(credentials, "csrf", token));

    for (Page refused : new Page[] {missing, wrong, withoutCookie}) {
      assertEquals(403, refused.status(), refused::toString);
      assertTrue(refused.body().contains("The sign-in form expired"), refused::toString);
      assertNull(refused.setCookie(Access.SESSION_COOKIE), "no session");
    }
    // the refusal comes with a fresh form that works
    Page again = browser.postForm("/sign-in", with(credentials, "csrf", wrong.csrf()));
    assertEquals(303, again.status(), again::toString);
  }

  @Test
  void strangersAreSentToSignInAndSignOutNeedsTheFormToken() {
    Browser browser = node.browser();
    assertEquals("/console/tickets", browser.get("/").header("Location"));
    Page stranger = browser.get("/console/tickets");
    assertEquals(303, stranger.status());
    assertEquals("/sign-in", stranger.header("Location"));
    Page fragment = browser.get("/console/status", "HX-Request", "true");
    assertEquals(
        401,
        fragment.status(),
        "htmx's requests of a page left open: no sign-in page inside the page");
    assertEquals("/sign-in", fragment.header("HX-Redirect"));
    browser.setCookie(Access.SESSION_COOKIE, "forged.token");
    assertEquals(303, browser.get("/console/tickets").status(), "a forged session is no session");

    browser.signIn(TestEmployees.OPERATOR, TestEmployees.OPERATOR_PASSWORD);
    String csrf = browser.get("/console/tickets").csrf();
    assertEquals(403, browser.postForm("/sign-out", Map.of()).status());
    assertEquals(200, browser.get("/console/tickets").status(), "still signed in");

    Page out = browser.postForm("/sign-out", Map.of("csrf", csrf));
    assertEquals(303, out.status());
    assertEquals("/sign-in", out.header("Location"));
    assertTrue(
        attributes(out.setCookie(Access.SESSION_COOKIE)).contains("max-age=0"),
        "the cookie is cleared");
    assertEquals(303, browser.get("/console/tickets").status());
  }

  @Test
  void theSignInPageCarriesTheSecurityHeaders() {
    Page page = node.browser().get("/sign-in");
    String csp = page.header("Content-Security-Policy");
    assertNotNull(csp);
    assertTrue(csp.contains("frame-ancestors 'none'"), csp);
    assertEquals("nosniff", page.header("X-Content-Type-Options"));
    assertNotNull(page.header("Referrer-Policy"));
    assertFalse(page.body().contains("<script>"), "no inline script");
  }

  private static String attributes(String setCookie) {
    return setCookie.toLowerCase(Locale.ROOT).replace(" ", "");
  }

  private static Map<String, String> with(Map<String, String> fields, String name, String value) {
    Map<String, String> all = new java.util.HashMap<>(fields);
    all.put(name, value);
    return all;
  }
}
