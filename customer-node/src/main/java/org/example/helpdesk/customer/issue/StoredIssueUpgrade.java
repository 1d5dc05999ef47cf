package org.example.helpdesk.customer.issue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.pekko.serialization.jackson.JacksonMigration;
import org.example.helpdesk.protocol.DistributedCommands;

/**
 * Reads issues stored under the manifest {@code Issue$ReportedIssue} as a {@link StoredIssue}: the
 * rules' state no longer holds the outbox, so the document has a class of its own (its JSON is the
 * same, see {@link IssueJson}). Registered for that class name in {@code
 * customer-serialization.conf}.
 *
 * <ul>
 *   <li>Version 1: the outbox held the backoffice's commands ({@code command} entries): a {@code
 *       ticket.prepareTicket} was the issue's report, its description the content; a {@code
 *       ticket.cancel} was its close. Read as version 2.
 *   <li>Version 2: the outbox holds facts; the JSON of a {@link StoredIssue} to this day.
 * </ul>
 */
public final class StoredIssueUpgrade extends JacksonMigration {

  /** One more than the last version stored as {@code Issue$ReportedIssue}, to rename version 2. */
  @Override
  public int currentVersion() {
    return 3;
  }

  @Override
  public String transformClassName(int fromVersion, String className) {
    return StoredIssue.class.getName();
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
