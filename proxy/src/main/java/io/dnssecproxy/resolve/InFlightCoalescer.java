package io.dnssecproxy.resolve;

import io.vertx.core.Future;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Lets identical requests that overlap in time share one underlying call: while a call for a
 * key is in flight, later callers get the same future. The entry goes away as soon as that
 * future completes (success or failure), so the next caller starts a fresh call.
 *
 * <p>Not thread-safe, on purpose: every caller and every completion runs on the one event loop
 * that owns this object, so a plain HashMap is enough.
 */
public final class InFlightCoalescer<K, V> {

  private final Map<K, Future<V>> inFlight = new HashMap<>();

  /**
   * The future of the call already in flight for {@code key}, or of a new call made with
   * {@code call}. A call that throws counts as a failed future and is not shared.
   */
  public Future<V> run(K key, Supplier<Future<V>> call) {
    Objects.requireNonNull(key, "key");
    Future<V> existing = inFlight.get(key);
    if (existing != null) {
      return existing;
    }
    Future<V> started;
    try {
      started = Objects.requireNonNull(call.get(), "call returned null");
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    if (started.isComplete()) {
      return started; // nothing to share, and registering it would leave a stale entry
    }
    inFlight.put(key, started);
    // Registered before any caller's handler, so the entry is gone when callers react.
    started.onComplete(ar -> inFlight.remove(key, started));
    return started;
  }

  /** Whether a call for {@code key} is in flight. */
  public boolean inFlight(K key) {
    return inFlight.containsKey(key);
  }

  /** Keys with a call in flight. */
  public int size() {
    return inFlight.size();
  }
}
