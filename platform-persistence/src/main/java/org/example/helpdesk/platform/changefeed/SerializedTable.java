package org.example.helpdesk.platform.changefeed;

import java.sql.ResultSet;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;

/**
 * A fed table whose values are stored with Pekko serialization: payload, serializer id and manifest
 * in columns 7, 8 and 9 of the feed's query.
 */
abstract class SerializedTable<T> implements CommitOrderedFeed.Table<T> {

  private final String name;
  private final String sql;
  private final Serialization serialization;
  private final Class<T> type;

  SerializedTable(String name, String sql, ActorSystem<?> system, Class<T> type) {
    this.name = name;
    this.sql = sql;
    this.serialization = SerializationExtension.get(system);
    this.type = type;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String sql() {
    return sql;
  }

  @Override
  public T decode(ResultSet row) throws Exception {
    String manifest = row.getString(9);
    return type.cast(
        serialization
            .deserialize(row.getBytes(7), row.getInt(8), manifest == null ? "" : manifest)
            .get());
  }
}
