package org.example.helpdesk.platform.tracing;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.apache.pekko.Done;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Extension;
import org.apache.pekko.actor.typed.ExtensionId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * A node's OpenTelemetry tracing, one per actor system ({@link #get}).
 *
 * <p>Configured by the standard {@code OTEL_*} variables (SDK autoconfiguration): exporter {@code
 * OTEL_TRACES_EXPORTER} = {@code otlp}, {@code logging} or {@code none}; service name {@code
 * OTEL_SERVICE_NAME}, by default the node's {@code helpdesk.service-name}; sampler {@code
 * OTEL_TRACES_SAMPLER}/{@code _ARG}; OTLP over http/protobuf unless {@code
 * OTEL_EXPORTER_OTLP_PROTOCOL} says otherwise. Off by default: with no exporter (or {@code none},
 * or {@code OTEL_SDK_DISABLED=true}) it is {@link OpenTelemetry#noop()} and every helper here
 * passes straight through. Tests install one SDK for every node of the JVM with {@link #install}.
 *
 * <p>Trace context crosses the services as W3C {@code traceparent}/{@code tracestate} (HTTP and
 * AMQP headers) and is kept in stored records as the {@code traceparent} string, never as OTel
 * types. Where a span is made current, the trace id is in the SLF4J MDC as {@value #MDC_TRACE_ID}.
 */
public final class Tracing implements Extension {

  public static final String TRACEPARENT = "traceparent";
  public static final String TRACESTATE = "tracestate";

  /** The MDC key of the current trace id. */
  public static final String MDC_TRACE_ID = "traceId";

  private static final Logger log = LoggerFactory.getLogger(Tracing.class);
  private static final W3CTraceContextPropagator W3C = W3CTraceContextPropagator.getInstance();
  private static final Pattern TRACEPARENT_SHAPE =
      Pattern.compile("[0-9a-f]{2}-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}(-.*)?");
  private static final String INVALID_TRACE_ID = "00000000000000000000000000000000";

  /** An SDK tests installed for every node of this JVM, or null. */
  private static volatile OpenTelemetry installed;

  private final OpenTelemetry openTelemetry;
  private final Tracer tracer;
  private final boolean enabled;

  private Tracing(OpenTelemetry openTelemetry, String serviceName, boolean enabled) {
    this.openTelemetry = openTelemetry;
    this.tracer = openTelemetry.getTracer(serviceName);
    this.enabled = enabled;
  }

  /** The node's tracing, created with its first use. */
  public static Tracing get(ActorSystem<?> system) {
    return Id.INSTANCE.apply(system);
  }

  /** Tracing that does nothing (for code run outside a node). */
  public static Tracing off() {
    return new Tracing(OpenTelemetry.noop(), "off", false);
  }

  /**
   * Makes every node started from now on in this JVM trace into {@code sdk} (for tests, with an
   * in-memory exporter); {@code null} uninstalls it. The installer shuts it down.
   */
  public static void install(OpenTelemetry sdk) {
    installed = sdk;
  }

  /** Whether spans are recorded at all: when not, the helpers pass straight through. */
  public boolean enabled() {
    return enabled;
  }

  public Tracer tracer() {
    return tracer;
  }

  public OpenTelemetry openTelemetry() {
    return openTelemetry;
  }

  // ---- spans ----------------------------------------------------------------------------------

  /**
   * Runs {@code work} in a span named {@code name}, a child of {@code parentTraceparent} (a new
   * trace when that is null or malformed), ended when the work completes (an error when it fails).
   * The work gets the span's own {@code traceparent} to hand on; with tracing off it gets {@code
   * parentTraceparent} and no span is made.
   *
   * @param attributes key, value, key, value...
   */
  public <T> CompletionStage<T> traced(
      String name,
      String parentTraceparent,
      Function<String, CompletionStage<T>> work,
      String... attributes) {
    if (!enabled) {
      return work.apply(parentTraceparent);
    }
    return traced(
        spanBuilder(name, contextOf(parentTraceparent, null), SpanKind.INTERNAL, attributes), work);
  }

  /** As {@link #traced(String, String, Function, String...)}, from a built span. */
  public <T> CompletionStage<T> traced(
      SpanBuilder builder, Function<String, CompletionStage<T>> work) {
    Span span = builder.startSpan();
    CompletionStage<T> result;
    try (Scope scope = makeCurrent(span)) {
      result = work.apply(traceparent(span));
    } catch (RuntimeException e) {
      failed(span, e);
      span.end();
      throw e;
    }
    return result.whenComplete(
        (value, failure) -> {
          if (failure != null) {
            failed(span, failure);
          }
          span.end();
        });
  }

  /** A span builder with parent, kind and string attributes. */
  public SpanBuilder spanBuilder(String name, Context parent, SpanKind kind, String... attributes) {
    SpanBuilder builder = tracer.spanBuilder(name).setParent(parent).setSpanKind(kind);
    for (int i = 0; i + 1 < attributes.length; i += 2) {
      if (attributes[i + 1] != null) {
        builder.setAttribute(AttributeKey.stringKey(attributes[i]), attributes[i + 1]);
      }
    }
    return builder;
  }

  /** Marks a span failed with this failure. */
  public static void failed(Span span, Throwable failure) {
    Throwable cause =
        failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
            ? failure.getCause()
            : failure;
    span.recordException(cause);
    span.setStatus(StatusCode.ERROR, String.valueOf(cause.getMessage()));
  }

  /**
   * Makes the span current, with its trace id in the MDC ({@value #MDC_TRACE_ID}), until the
   * returned scope closes (which restores both).
   */
  public static Scope makeCurrent(Span span) {
    Scope scope = span.makeCurrent();
    String before = MDC.get(MDC_TRACE_ID);
    String traceId = span.getSpanContext().getTraceId();
    MDC.put(MDC_TRACE_ID, traceId);
    return () -> {
      if (before == null) {
        MDC.remove(MDC_TRACE_ID);
      } else {
        MDC.put(MDC_TRACE_ID, before);
      }
      scope.close();
    };
  }

  // ---- W3C trace context ----------------------------------------------------------------------

  /** The span's W3C {@code traceparent}, or null when it is not a valid (recordable) span. */
  public static String traceparent(Span span) {
    return traceparent(span.getSpanContext());
  }

  public static String traceparent(SpanContext context) {
    if (!context.isValid()) {
      return null;
    }
    return "00-"
        + context.getTraceId()
        + "-"
        + context.getSpanId()
        + "-"
        + context.getTraceFlags().asHex();
  }

  /**
   * The context a {@code traceparent} (and {@code tracestate}) names; the root context (a new
   * trace) when it is missing or malformed. Never throws.
   */
  public static Context contextOf(String traceparent, String tracestate) {
    if (traceparent == null) {
      return Context.root();
    }
    Map<String, Object> headers = new HashMap<>(2);
    headers.put(TRACEPARENT, traceparent);
    if (tracestate != null) {
      headers.put(TRACESTATE, tracestate);
    }
    return extract(headers);
  }

  /**
   * The trace context in message headers (AMQP header values may be any type: they are read as
   * text); the root context when there is none or it is malformed. Never throws.
   */
  public static Context extract(Map<String, ?> headers) {
    if (headers == null || !headers.containsKey(TRACEPARENT)) {
      return Context.root();
    }
    try {
      return W3C.extract(Context.root(), headers, MAP_GETTER);
    } catch (RuntimeException e) {
      log.debug("Ignoring unreadable trace context: {}", e.toString());
      return Context.root();
    }
  }

  /** Adds the context's {@code traceparent} (and {@code tracestate}) to these headers. */
  public static void inject(Context context, Map<String, Object> headers) {
    W3C.inject(context, headers, (carrier, key, value) -> carrier.put(key, value));
  }

  /** The trace id of a well-formed {@code traceparent}, else null. */
  public static String traceIdOf(String traceparent) {
    if (traceparent == null) {
      return null;
    }
    var m = TRACEPARENT_SHAPE.matcher(traceparent.strip().toLowerCase(Locale.ROOT));
    return m.matches() && !INVALID_TRACE_ID.equals(m.group(1)) ? m.group(1) : null;
  }

  /** A header value as text (AMQP gives text as LongString), or null. */
  public static String headerText(Object value) {
    if (value == null
        || value instanceof byte[]
        || value instanceof Map
        || value instanceof java.util.List) {
      return null;
    }
    String text = String.valueOf(value);
    return text.length() > 512 ? null : text;
  }

  private static final TextMapGetter<Map<String, ?>> MAP_GETTER =
      new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Map<String, ?> carrier) {
          return carrier.keySet();
        }

        @Override
        public String get(Map<String, ?> carrier, String key) {
          return carrier == null ? null : headerText(carrier.get(key));
        }
      };

  // ---- set-up ---------------------------------------------------------------------------------

  static Tracing create(ActorSystem<?> system) {
    com.typesafe.config.Config config = system.settings().config();
    String serviceName =
        config.hasPath("helpdesk.service-name")
            ? config.getString("helpdesk.service-name")
            : system.name();
    OpenTelemetry test = installed;
    if (test != null) {
      return new Tracing(test, serviceName, true);
    }
    String exporter = setting("otel.traces.exporter");
    if (exporter == null
        || exporter.isBlank()
        || exporter.strip().equalsIgnoreCase("none")
        || "true".equalsIgnoreCase(setting("otel.sdk.disabled"))) {
      return new Tracing(OpenTelemetry.noop(), serviceName, false);
    }
    OpenTelemetrySdk sdk =
        AutoConfiguredOpenTelemetrySdk.builder()
            .addPropertiesSupplier(
                () ->
                    Map.of(
                        "otel.service.name", serviceName,
                        // traces only: the nodes' metrics are Prometheus', their logs Logback's
                        "otel.metrics.exporter", "none",
                        "otel.logs.exporter", "none",
                        // the JDK's HTTP client sends OTLP; gRPC would need another sender
                        "otel.exporter.otlp.protocol", "http/protobuf",
                        "otel.propagators", "tracecontext"))
            .disableShutdownHook()
            .build()
            .getOpenTelemetrySdk();
    CoordinatedShutdown.get(system)
        .addTask(
            CoordinatedShutdown.PhaseBeforeActorSystemTerminate(),
            "flush-traces",
            () -> {
              CompletableFuture<Done> done = new CompletableFuture<>();
              sdk.shutdown().whenComplete(() -> done.complete(Done.getInstance()));
              return done;
            });
    log.info("Tracing on: {} exports spans of {}", exporter.strip(), serviceName);
    return new Tracing(sdk, serviceName, true);
  }

  /** An OTel setting: the system property, else the environment variable (OTEL_TRACES_EXPORTER). */
  private static String setting(String property) {
    String value = System.getProperty(property);
    return value != null
        ? value
        : System.getenv(property.toUpperCase(Locale.ROOT).replace('.', '_'));
  }

  static final class Id extends ExtensionId<Tracing> {
    static final Id INSTANCE = new Id();

    @Override
    public Tracing createExtension(ActorSystem<?> system) {
      return create(system);
    }
  }
}
