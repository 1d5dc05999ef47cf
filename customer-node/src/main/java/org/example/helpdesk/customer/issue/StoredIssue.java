package org.example.helpdesk.customer.issue;

import java.util.ArrayList;
import java.util.List;
import org.example.helpdesk.protocol.TraceContext;

/**
 * What is stored of an issue, as one document: the issue ({@code null} until it is reported; never
 * stored so) and its outbox, every fact it recorded, in order and numbered, each with the trace
 * context of the request that caused it. The state and its facts change in the same write; the
 * outbox relay publishes the facts from here. Its JSON: {@link IssueJson}.
 *
 * @param lastEntryNumber the number of the last entry (numbers are never reused)
 */
public record StoredIssue(Issue.ReportedIssue issue, List<Entry> outbox, long lastEntryNumber) {

  /** Nothing reported yet. */
  static final StoredIssue NONE = new StoredIssue(null, List.of(), 0);

  /** A fact in the outbox, with its number and the trace context it was recorded in. */
  public record Entry(long number, Issue.Fact fact, TraceContext trace) {
    public Entry {
      trace = trace == null ? TraceContext.none() : trace;
    }
  }

  public StoredIssue {
    outbox = List.copyOf(outbox);
  }

  /** The issue as its rules see it. */
  public Issue.State state() {
    return issue == null ? new Issue.NoIssue() : issue;
  }

  /** This issue after the facts, which go to the outbox with the trace context of their cause. */
  StoredIssue record(List<Issue.Fact> facts, TraceContext trace) {
    Issue.State state = state();
    List<Entry> entries = new ArrayList<>(outbox);
    long number = lastEntryNumber;
    for (Issue.Fact fact : facts) {
      state = Issue.evolve(state, fact);
      entries.add(new Entry(++number, fact, trace));
    }
    return new StoredIssue((Issue.ReportedIssue) state, entries, number);
  }

  /** The entries after this number, in order. */
  public List<Entry> entriesAfter(long number) {
    return outbox.stream().filter(e -> e.number() > number).toList();
  }
}
