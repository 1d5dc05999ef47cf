package org.example.helpdesk.platform.db;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import org.postgresql.PGStatement;

/**
 * Look-ups of a few keys in a table that starts empty and grows fast. Once a statement is prepared
 * on the server, PostgreSQL keeps a generic plan made from the table's statistics of that moment (a
 * handful of rows: scan it all), until the next ANALYZE; in the benchmark such a look-up of one
 * issue took 7 ms at 1,500 issues. Planned each time instead, the plan follows the table's size.
 */
public final class PlannedEachTime {

  private PlannedEachTime() {}

  public static void mark(PreparedStatement statement) throws SQLException {
    statement.unwrap(PGStatement.class).setPrepareThreshold(0);
  }
}
