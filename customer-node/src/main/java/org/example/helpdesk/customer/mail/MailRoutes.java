package org.example.helpdesk.customer.mail;

import java.util.List;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;
import org.example.helpdesk.platform.db.Database;
import org.example.helpdesk.platform.http.ApiDirectives;
import org.example.helpdesk.platform.projection.admin.AdminToken;

/**
 * {@code GET /admin/mail}: whether the mailer is on, where it sends (password masked) and the mails
 * a server refused for good, newest first — behind the admin token, like the other admin routes of
 * this node.
 */
public final class MailRoutes extends ApiDirectives {

  static final int SHOWN = 100;

  /** What the operator sees. {@code server}: null when the mailer is off. */
  public record MailStatus(boolean on, String server, List<MailLedger.Failure> refused) {}

  private final Database database;
  private final AdminToken admin;
  private final String server;

  /**
   * @param server where the mailer sends, as shown (no password), or null when it is off
   */
  public MailRoutes(Database database, AdminToken admin, String server, long maxBodyBytes) {
    super(maxBodyBytes);
    this.database = database;
    this.admin = admin;
    this.server = server;
  }

  public Route routes() {
    return path(
        PathMatchers.segment("admin").slash("mail"),
        () ->
            get(
                () ->
                    admin.guard(
                        onReply(
                            database.run(c -> MailLedger.failures(c, SHOWN)),
                            refused ->
                                json(
                                    StatusCodes.OK,
                                    new MailStatus(server != null, server, refused))))));
  }
}
