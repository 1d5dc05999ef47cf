package org.example.helpdesk.platform.projection.admin;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;
import org.example.helpdesk.platform.http.ApiDirectives;
import org.example.helpdesk.platform.http.ApiErrors;

/**
 * The admin API of a node's projections:
 *
 * <ul>
 *   <li>{@code GET /admin/projections}: every instance with its offset, lag and state, and the
 *       rebuild of the projections that have one;
 *   <li>{@code POST /admin/projections/{name}/pause} and {@code /resume}: all its instances;
 *   <li>{@code POST /admin/projections/{name}/rebuild}: starts a rebuild (202), see {@link
 *       Rebuild};
 *   <li>{@code POST /admin/projections/{name}/offset}: sets or skips the offset of one paused
 *       instance, see {@link OffsetLever}.
 * </ul>
 *
 * Behind {@code operator}, which names who asks (for the log): the operator role on the backoffice,
 * the admin token ({@link AdminToken}) on the customer node.
 */
public final class ProjectionAdminRoutes extends ApiDirectives {

  /** A projection with its instances, and its rebuild if it has one. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Projection(
      String name, List<AdminProjection.Instance> instances, RebuildStatus rebuild) {}

  public record Projections(List<Projection> projections) {}

  private final List<AdminProjection> projections;
  private final Map<String, Rebuild> rebuilds;
  private final Function<Function<String, Route>, Route> operator;

  /**
   * @param operator lets the request through to the route it is given, with the name of who asks,
   *     or answers it with a 401 or 403
   */
  public ProjectionAdminRoutes(
      List<AdminProjection> projections,
      Map<String, Rebuild> rebuilds,
      Function<Function<String, Route>, Route> operator,
      long maxBodyBytes) {
    super(maxBodyBytes);
    this.projections = List.copyOf(projections);
    this.rebuilds = Map.copyOf(rebuilds);
    this.operator = operator;
  }

  public Route routes() {
    return pathPrefix(
        "admin",
        () ->
            pathPrefix(
                "projections",
                () ->
                    operator.apply(
                        who ->
                            concat(
                                pathEndOrSingleSlash(() -> get(this::list)),
                                pathPrefix(PathMatchers.segment(), name -> one(name, who))))));
  }

  private Route one(String name, String who) {
    return concat(
        path("pause", () -> post(() -> known(name, p -> changed(p, p::pause)))),
        path("resume", () -> post(() -> known(name, p -> changed(p, p::resume)))),
        path("rebuild", () -> post(() -> known(name, this::rebuild))),
        path("offset", () -> post(() -> known(name, p -> moveOffset(p, who)))));
  }

  private Route list() {
    CompletionStage<List<Projection>> all =
        java.util.concurrent.CompletableFuture.completedFuture(List.of());
    for (AdminProjection p : projections) {
      all = all.thenCompose(done -> describe(p).thenApply(one -> append(done, one)));
    }
    return onReply(all, list -> json(StatusCodes.OK, new Projections(list)));
  }

  private CompletionStage<Projection> describe(AdminProjection p) {
    Optional<Rebuild> rebuild = Optional.ofNullable(rebuilds.get(p.name()));
    return p.instances()
        .thenApply(
            instances ->
                new Projection(p.name(), instances, rebuild.map(Rebuild::status).orElse(null)));
  }

  /**
   * Reads the instances first (so a database that is down answers a 503 at once, not after the
   * management's ask timeouts), changes them, and answers with how they stand after.
   */
  private Route changed(AdminProjection p, java.util.function.Supplier<CompletionStage<?>> change) {
    return onReply(
        p.instances().thenCompose(before -> change.get()).thenCompose(done -> describe(p)),
        after -> json(StatusCodes.OK, after));
  }

  private Route rebuild(AdminProjection p) {
    Rebuild rebuild = rebuilds.get(p.name());
    if (rebuild == null) {
      return ApiErrors.complete(
          StatusCodes.NOT_FOUND, "projection '" + p.name() + "' has no rebuild");
    }
    return onReply(rebuild.start(), status -> json(StatusCodes.ACCEPTED, status));
  }

  private Route moveOffset(AdminProjection p, String who) {
    if (p.offsetLever().isEmpty()) {
      return ApiErrors.complete(
          StatusCodes.NOT_FOUND, "projection '" + p.name() + "' has no settable offset");
    }
    return jsonBody(
        OffsetLever.Move.class,
        move ->
            onReply(
                p.offsetLever().get().move(p, move, who), moved -> json(StatusCodes.OK, moved)));
  }

  private Route known(String name, java.util.function.Function<AdminProjection, Route> inner) {
    return projections.stream()
        .filter(p -> p.name().equals(name))
        .findFirst()
        .map(inner)
        .orElseGet(
            () ->
                ApiErrors.complete(
                    StatusCodes.NOT_FOUND,
                    "no projection named '"
                        + shorten(name)
                        + "' on this node (it has: "
                        + projections.stream()
                            .map(AdminProjection::name)
                            .collect(Collectors.joining(", "))
                        + ")"));
  }

  private static String shorten(String raw) {
    return raw.length() <= 64 ? raw : raw.substring(0, 64) + "…";
  }

  private static <T> List<T> append(List<T> list, T one) {
    return java.util.stream.Stream.concat(list.stream(), java.util.stream.Stream.of(one)).toList();
  }
}
