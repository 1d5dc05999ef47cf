package org.example.helpdesk.customer.outbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.pekko.serialization.jackson.JacksonMigration;
import org.example.helpdesk.protocol.DistributedCommands;

/**
 * Reads issues stored while their outbox held the backoffice's commands (version 1: entries with a
 * {@code command}) as issues whose outbox holds facts (version 2): a {@code ticket.prepareTicket}
 * was the report, its description the content; a {@code ticket.cancel} was its close.
 * Registered for {@code Issue$ReportedIssue} in {@code customer-serialization.conf}.
 */
public final class OldOutboxFormat extends JacksonMigration {

  @Override
  public int currentVersion() {
    return 2;
  }

  @Override
  public JsonNode transform(int fromVersion, JsonNode json) {
    if (fromVersion < 2) {
      for (JsonNode node : json.path("outbox")) {
        ObjectNode entry = (ObjectNode) node;
        JsonNode command = entry.remove("command");
        if (command == null) {
          continue;
        }
        if (DistributedCommands.PREPARE_TICKET.equals(command.path("commandName").asText())) {
          entry.put("fact", "reported");
          entry.set("content", command.get("description"));
        } else {
          entry.put("fact", "closed");
        }
      }
    }
    return json;
  }
}
