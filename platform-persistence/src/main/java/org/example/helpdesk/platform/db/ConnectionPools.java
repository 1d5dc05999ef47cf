package org.example.helpdesk.platform.db;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Extension;
import org.apache.pekko.actor.typed.ExtensionId;
import org.apache.pekko.persistence.jdbc.db.SlickExtension;
import org.apache.pekko.persistence.jdbc.db.SlickExtensionImpl;
import slick.jdbc.hikaricp.HikariCPJdbcDataSource;

/**
 * The HikariCP pools of a node (its own, the persistence plugins'), by name, for the gauges {@code
 * helpdesk_db_pool_connections{pool, state="active|idle|pending"}} and {@code
 * helpdesk_db_pool_max_connections{pool}}, read from each pool when scraped. (HikariCP's own
 * Prometheus tracker is for the older simpleclient; these few gauges need none.) A pool is added
 * where it is made, which for a plugin is when the actor system first uses it.
 */
public final class ConnectionPools implements Extension {

  public static final ExtensionId<ConnectionPools> ID =
      new ExtensionId<>() {
        @Override
        public ConnectionPools createExtension(ActorSystem<?> system) {
          return new ConnectionPools();
        }
      };

  private final Map<String, Supplier<HikariDataSource>> pools = new ConcurrentHashMap<>();

  public static ConnectionPools get(ActorSystem<?> system) {
    return ID.apply(system);
  }

  /**
   * @param pool found when first scraped (a plugin's pool may be made on first use)
   */
  public void add(String name, Supplier<HikariDataSource> pool) {
    pools.put(name, pool);
  }

  /**
   * The pool of pekko-persistence-jdbc's shared Slick database (journal, snapshots, read journal),
   * made when the journal is first used: add it only on a node that uses the journal.
   */
  public static Supplier<HikariDataSource> journalPool(ActorSystem<?> system) {
    return () -> {
      SlickExtensionImpl slick = (SlickExtensionImpl) SlickExtension.get(system.classicSystem());
      Object source =
          slick.database(system.settings().config().getConfig("jdbc-journal")).database().source();
      return source instanceof HikariCPJdbcDataSource hikari ? hikari.ds() : null;
    };
  }

  /** Registers the gauges of these pools. */
  public void register(PrometheusRegistry registry) {
    GaugeWithCallback.builder()
        .name("helpdesk_db_pool_connections")
        .help("Connections of a pool: active (lent out), idle, pending (callers waiting for one)")
        .labelNames("pool", "state")
        .callback(
            cb ->
                each(
                    (name, bean, ds) -> {
                      cb.call(bean.getActiveConnections(), name, "active");
                      cb.call(bean.getIdleConnections(), name, "idle");
                      cb.call(bean.getThreadsAwaitingConnection(), name, "pending");
                    }))
        .register(registry);
    GaugeWithCallback.builder()
        .name("helpdesk_db_pool_max_connections")
        .help("The most connections a pool opens")
        .labelNames("pool")
        .callback(cb -> each((name, bean, ds) -> cb.call(ds.getMaximumPoolSize(), name)))
        .register(registry);
  }

  private interface PoolReader {
    void read(String name, HikariPoolMXBean bean, HikariDataSource ds);
  }

  private void each(PoolReader reader) {
    pools.forEach(
        (name, supplier) -> {
          HikariDataSource ds = supplier.get();
          HikariPoolMXBean bean = ds == null || ds.isClosed() ? null : ds.getHikariPoolMXBean();
          if (bean != null) {
            reader.read(name, bean, ds);
          }
        });
  }
}
