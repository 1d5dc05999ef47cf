package org.example.helpdesk.system;

import static org.example.helpdesk.system.DockerComposeTest.asMap;
import static org.example.helpdesk.system.DockerComposeTest.map;
import static org.example.helpdesk.system.NodeVariables.read;
import static org.example.helpdesk.system.NodeVariables.yamlDocuments;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.example.helpdesk.platform.config.NodeConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.yaml.snakeyaml.Yaml;

/**
 * deploy/kubernetes against the nodes (no cluster here to apply it to): every file is in the
 * kustomization, every variable is one the node reads and checks, the ports and probes are those
 * the node's configuration serves (Pekko Management's /ready and /alive, as ClusterBootstrapIT
 * calls them), the pods carry the label their discovery asks for, and what they need (service
 * account, config map, secrets) is declared.
 */
class KubernetesManifestsTest {

  private static final String DIR = "deploy/kubernetes/";

  @Test
  @SuppressWarnings("unchecked")
  void theKustomizationListsEveryManifestAndPinsTheImages() throws IOException {
    Map<String, Object> kustomization = new Yaml().load(read(DIR + "kustomization.yaml"));
    Set<String> files = new TreeSet<>();
    try (var listing = Files.list(NodeVariables.ROOT.resolve(DIR))) {
      listing
          .map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(".yaml") && !n.equals("kustomization.yaml"))
          .forEach(files::add);
    }
    assertEquals(files, new TreeSet<>((List<String>) kustomization.get("resources")));
    assertEquals("helpdesk", kustomization.get("namespace"));
    for (Object image : (List<?>) kustomization.get("images")) {
      assertTrue(
          String.valueOf(((Map<String, Object>) image).get("newTag")).matches("[0-9]+\\.[0-9.]+"),
          image.toString());
    }
  }

  @Test
  void podDiscoveryMayListPodsAndNothingElse() throws IOException {
    Map<String, Map<String, Object>> rbac = byKind(yamlDocuments(DIR + "rbac.yaml"));
    List<?> rules = (List<?>) rbac.get("Role").get("rules");
    assertEquals(1, rules.size());
    Map<String, Object> rule = asMap(rules.get(0), "rule");
    assertEquals(List.of("pods"), rule.get("resources"));
    assertEquals(List.of("get", "watch", "list"), rule.get("verbs"));
    Map<String, Object> binding = rbac.get("RoleBinding");
    assertEquals(
        name(rbac.get("Role")), map(binding, "roleRef").get("name"), "binds the pod reader");
    assertEquals(
        name(rbac.get("ServiceAccount")),
        asMap(((List<?>) binding.get("subjects")).get(0), "subject").get("name"));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"customer, customer-service, 2", "backoffice, backoffice-service, 3"})
  @SuppressWarnings("unchecked")
  void theDeploymentIsWhatTheNodeServesAndReads(String kind, String system, int replicas)
      throws IOException {
    Map<String, Map<String, Object>> docs = byKind(yamlDocuments(DIR + kind + ".yaml"));
    Map<String, Object> deployment = docs.get("Deployment");
    Map<String, Object> spec = map(deployment, "spec");
    assertEquals(replicas, spec.get("replicas"));
    Map<String, Object> rolling = map(map(spec, "strategy"), "rollingUpdate");
    assertEquals(0, rolling.get("maxUnavailable"), "an old node goes once a new one is ready");
    Map<String, Object> template = map(spec, "template");
    Map<String, Object> labels = map(map(template, "metadata"), "labels");
    // Cluster Bootstrap asks for the pods labelled app=<service name> (pod-label-selector)
    assertEquals(system, labels.get("app"));
    assertEquals(Map.of("app", system), map(map(spec, "selector"), "matchLabels"));
    Map<String, Object> podSpec = map(template, "spec");
    assertEquals(
        name(byKind(yamlDocuments(DIR + "rbac.yaml")).get("ServiceAccount")),
        podSpec.get("serviceAccountName"));
    Map<String, Object> container = asMap(((List<?>) podSpec.get("containers")).get(0), "node");
    assertEquals("helpdesk/" + kind + "-node", container.get("image"));

    // the environment: known variables, and what the node makes of them
    Map<String, String> env = new HashMap<>();
    List<String> fromSecrets = new ArrayList<>();
    for (Object e : (List<?>) container.get("env")) {
      Map<String, Object> variable = asMap(e, "env");
      String name = variable.get("name").toString();
      if (variable.containsKey("value")) {
        env.put(name, variable.get("value").toString());
      } else {
        Map<String, Object> from = map(variable, "valueFrom");
        if (from.containsKey("secretKeyRef")) {
          assertSecretHas(map(from, "secretKeyRef"));
          fromSecrets.add(name);
        } else if (from.containsKey("configMapKeyRef")) {
          Map<String, Object> ref = map(from, "configMapKeyRef");
          Map<String, Object> configMap =
              byKind(yamlDocuments(DIR + "external.yaml")).get("ConfigMap");
          assertEquals(ref.get("name"), name(configMap));
          env.put(name, map(configMap, "data").get(ref.get("key")).toString());
        } else {
          String field = map(from, "fieldRef").get("fieldPath").toString();
          if (field.equals("status.podIP")) {
            env.put(name, "10.1.2.3");
          } else {
            assertEquals("metadata.labels['app.kubernetes.io/version']", field);
            env.put(name, labels.get("app.kubernetes.io/version").toString());
          }
        }
      }
    }
    NodeVariables.assertKnown(kind + ".yaml", new TreeSet<>(concat(env.keySet(), fromSecrets)));
    assertTrue(fromSecrets.containsAll(List.of("DATABASE_USER", "DATABASE_PASSWORD", "AMQP_URI")));
    if (kind.equals("backoffice")) {
      assertTrue(
          fromSecrets.containsAll(List.of("SESSION_SECRET", "EMPLOYEES")), fromSecrets.toString());
    }
    assertFalse(env.containsKey("SEED_NODES"));
    env.put("DATABASE_USER", "u");
    env.put("DATABASE_PASSWORD", "p");
    env.put("AMQP_URI", "amqp://u:p@broker:5672/%2f");
    Config config = NodeConfig.load(kind, NodeVariables.asEnvironment(kind, env));
    assertEquals("kubernetes-api", config.getString("pekko.discovery.method"));
    assertEquals(List.of(), config.getStringList("pekko.cluster.seed-nodes"));
    assertEquals("10.1.2.3", config.getString("pekko.remote.artery.canonical.hostname"));
    assertEquals(system, config.getString("helpdesk.service-name"));
    assertEquals("1.0.0", config.getString("pekko.cluster.app-version"));

    // ports: the container's named ports are those the node listens on, the Service's the HTTP one
    Map<String, Integer> ports = new HashMap<>();
    for (Object p : (List<?>) container.get("ports")) {
      Map<String, Object> port = asMap(p, "port");
      ports.put(port.get("name").toString(), (Integer) port.get("containerPort"));
    }
    assertEquals(config.getInt("helpdesk.http.port"), ports.get("http"));
    assertEquals(config.getInt("pekko.remote.artery.canonical.port"), ports.get("remoting"));
    assertEquals(config.getInt("pekko.management.http.port"), ports.get("management"));
    Map<String, Object> service = docs.get("Service");
    assertEquals(Map.of("app", system), map(service, "spec").get("selector"));
    Map<String, Object> servicePort =
        asMap(((List<?>) map(service, "spec").get("ports")).get(0), "port");
    assertEquals("http", servicePort.get("targetPort"));
    assertEquals(ports.get("http"), servicePort.get("port"));

    // probes: Pekko Management's health checks, on its port, at the paths it serves
    Map<String, String> paths =
        Map.of(
            "readinessProbe",
            "/" + config.getString("pekko.management.health-checks.readiness-path"),
            "livenessProbe",
            "/" + config.getString("pekko.management.health-checks.liveness-path"),
            "startupProbe",
            "/" + config.getString("pekko.management.health-checks.liveness-path"));
    for (Map.Entry<String, String> probe : paths.entrySet()) {
      Map<String, Object> httpGet = map(map(container, probe.getKey()), "httpGet");
      assertEquals(probe.getValue(), httpGet.get("path"), probe.getKey());
      assertEquals("management", httpGet.get("port"), probe.getKey());
    }
    assertEquals(
        "org.example.helpdesk.platform.cluster.ManagementReadiness",
        config.getString("pekko.management.health-checks.readiness-checks.node"),
        "/ready includes the node's own readiness");

    // requests and limits; one node at a time may be disrupted
    Map<String, Object> resources = map(container, "resources");
    for (String bound : List.of("requests", "limits")) {
      assertNotNull(map(resources, bound).get("memory"), bound);
      assertNotNull(map(resources, bound).get("cpu"), bound);
    }
    Map<String, Object> pdb = map(docs.get("PodDisruptionBudget"), "spec");
    assertEquals(1, pdb.get("maxUnavailable"));
    assertEquals(Map.of("app", system), map(map(pdb, "selector"), "matchLabels"));
  }

  private static void assertSecretHas(Map<String, Object> ref) throws IOException {
    for (Map<String, Object> secret : yamlDocuments(DIR + "secrets.yaml")) {
      if (name(secret).equals(ref.get("name"))) {
        assertTrue(
            map(secret, "stringData").containsKey(ref.get("key").toString()), ref.toString());
        return;
      }
    }
    throw new AssertionError("no Secret " + ref.get("name") + " in secrets.yaml");
  }

  private static Map<String, Map<String, Object>> byKind(List<Map<String, Object>> documents) {
    Map<String, Map<String, Object>> byKind = new HashMap<>();
    for (Map<String, Object> d : documents) {
      assertEquals(null, byKind.put(d.get("kind").toString(), d), "one " + d.get("kind"));
    }
    return byKind;
  }

  private static String name(Map<String, Object> resource) {
    return map(resource, "metadata").get("name").toString();
  }

  private static List<String> concat(Set<String> a, List<String> b) {
    List<String> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }
}
