package org.example.helpdesk.platform.projection.admin;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/**
 * Where a rebuild stands: {@code state} is {@code idle} (none ran on this node), one of its steps
 * ({@code building}, {@code pausing}, {@code catching-up}, {@code swapping}, {@code resuming}),
 * {@code done} or {@code failed} (then {@code error} says why, and the live table is unchanged).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RebuildStatus(
    String state, Instant startedAt, Instant finishedAt, long eventsRead, Long rows, String error) {

  public static final RebuildStatus IDLE = new RebuildStatus("idle", null, null, 0, null, null);

  public boolean underWay() {
    return !(state.equals("idle") || state.equals("done") || state.equals("failed"));
  }
}
