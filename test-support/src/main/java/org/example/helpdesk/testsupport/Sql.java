package org.example.helpdesk.testsupport;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads what a node stored, straight from its schema. */
public final class Sql {

  private final String schema;

  public Sql(String schema) {
    this.schema = schema;
  }

  /** Rows of a query against the node's schema, each as column name to value. */
  public List<Map<String, Object>> rows(String query, Object... params) {
    try (Connection c = TestPostgres.connect()) {
      c.setSchema(schema);
      try (PreparedStatement s = c.prepareStatement(query)) {
        for (int i = 0; i < params.length; i++) {
          s.setObject(i + 1, params[i]);
        }
        try (ResultSet rs = s.executeQuery()) {
          List<Map<String, Object>> rows = new ArrayList<>();
          while (rs.next()) {
            Map<String, Object> row = new LinkedHashMap<>();
            for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
              row.put(rs.getMetaData().getColumnLabel(i), rs.getObject(i));
            }
            rows.add(row);
          }
          return rows;
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException(query + " failed", e);
    }
  }

  public long count(String query, Object... params) {
    return ((Number) rows(query, params).get(0).values().iterator().next()).longValue();
  }

  public void execute(String statement) {
    try (Connection c = TestPostgres.connect()) {
      c.setSchema(schema);
      try (var s = c.createStatement()) {
        s.execute(statement);
      }
    } catch (SQLException e) {
      throw new IllegalStateException(statement + " failed", e);
    }
  }
}
