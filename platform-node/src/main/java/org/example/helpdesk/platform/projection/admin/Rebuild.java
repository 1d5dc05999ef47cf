package org.example.helpdesk.platform.projection.admin;

import java.util.concurrent.CompletionStage;

/** Rebuilds a projection's read model (see the backoffice's TicketRebuild). */
public interface Rebuild {

  /**
   * Starts a rebuild: completes once it has begun (it goes on in the background), or fails with a
   * {@link org.example.helpdesk.platform.domain.ConflictException} when one is under way already.
   */
  CompletionStage<RebuildStatus> start();

  /** The rebuild under way or the last one this node ran. */
  RebuildStatus status();
}
