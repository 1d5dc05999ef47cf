package org.example.helpdesk.testsupport;

/** What the tests ask of a customer schema's outbox. */
public final class OutboxQueries {

  private OutboxQueries() {}

  /** Issues with outbox entries the relay has not recorded as published. */
  public static final String ISSUES_WITH_PENDING_ENTRIES =
      "SELECT count(*) FROM durable_state d LEFT JOIN outbox_published p ON p.persistence_id = d.persistence_id"
          + " WHERE (SELECT max((e ->> 'number')::bigint) FROM"
          + " jsonb_array_elements(convert_from(d.state_payload, 'UTF8')::jsonb -> 'outbox') e) > coalesce(p.up_to_entry, 0)";
}
