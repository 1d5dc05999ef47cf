package org.example.helpdesk.backoffice.console;

import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import org.example.helpdesk.backoffice.auth.Access;
import org.example.helpdesk.backoffice.auth.Employee;

/**
 * The console's own route: the status strip every page shows ({@code /console/status}). The
 * features' pages (tickets, dead letters) serve themselves in the layout of {@link ConsoleLayout}.
 */
public final class ConsoleRoutes extends AllDirectives {

  private final Access access;
  private final StatusStrip status;
  private final ConsoleLayout layout;

  public ConsoleRoutes(Access access, StatusStrip status, ConsoleLayout layout) {
    this.access = access;
    this.status = status;
    this.layout = layout;
  }

  public Route routes() {
    return pathPrefix(
        "console",
        () ->
            path(
                "status",
                () ->
                    // any signed-in agent may read it; it does not depend on who they are
                    get(
                        () ->
                            access.page(
                                Employee.Role.AGENT,
                                who ->
                                    layout.onDone(
                                        status.read(),
                                        v -> layout.html(StatusCodes.OK, "console-status", v))))));
  }
}
