package org.example.helpdesk.customer.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.util.Map;
import org.example.helpdesk.customer.CustomerTestNode;
import org.example.helpdesk.customer.outbox.OutboxRelay;
import org.example.helpdesk.testsupport.HttpTestClient;
import org.example.helpdesk.testsupport.TestNodes;
import org.example.helpdesk.testsupport.TestPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Loopback is no credential: the customer node's admin API takes its admin token, from anywhere,
 * and is off without one. The requests come from loopback, as a TLS proxy or a sidecar on the same
 * host would send everyone's.
 */
class AdminTokenTest {

  /** A node without ADMIN_TOKEN. */
  @RegisterExtension
  static final CustomerTestNode off =
      new CustomerTestNode(
          TestPostgres.newSchemaName("customer"),
          ConfigFactory.parseMap(Map.of("helpdesk.admin.token", "")));

  private static final String PAUSE = "/admin/projections/" + OutboxRelay.NAME + "/pause";

  @Test
  void withoutATokenConfiguredTheAdminApiIsOff() {
    for (HttpTestClient client :
        new HttpTestClient[] {
          off.http.anonymous(), off.admin, off.http.withAuthorization("Bearer ")
        }) {
      HttpTestClient.Response list = client.get("/admin/projections");
      assertEquals(404, list.status(), list::toString);
      assertTrue(list.json().path("error").asText().contains("ADMIN_TOKEN"), list::toString);
      assertEquals(404, client.post(PAUSE, null, new byte[0]).status());
    }
    // the metrics stay open to this host's own scraper
    assertEquals(200, off.http.anonymous().get("/metrics").status());
  }

  @Test
  void withATokenOnlyThatTokenOpensIt() {
    try (CustomerTestNode on = new CustomerTestNode()) {
      for (String wrong :
          new String[] {
            null,
            "Bearer " + TestNodes.ADMIN_TOKEN + "x",
            "Bearer " + TestNodes.ADMIN_TOKEN.substring(1),
            "Basic " + TestNodes.ADMIN_TOKEN,
            "bearer"
          }) {
        HttpTestClient client =
            wrong == null ? on.http.anonymous() : on.http.withAuthorization(wrong);
        HttpTestClient.Response r = client.post(PAUSE, null, new byte[0]);
        assertEquals(401, r.status(), () -> wrong + ": " + r);
        assertEquals("Bearer realm=\"helpdesk admin\"", r.header("WWW-Authenticate"));
      }
      on.admin
          .get("/admin/projections")
          .json()
          .path("projections")
          .get(0)
          .path("instances")
          .forEach(i -> assertEquals("running", i.path("state").asText(), i::toString));
      assertEquals(200, on.admin.post(PAUSE, null, new byte[0]).status());
      assertEquals(
          200,
          on.admin
              .post("/admin/projections/" + OutboxRelay.NAME + "/resume", null, new byte[0])
              .status());
    }
  }
}
