package io.dnssecproxy.testing;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/** Blocking waits on Vert.x futures for test threads, bounded so that a hang fails the test. */
public final class Blocking {

  private Blocking() {}

  /** The future's result; {@link java.util.concurrent.ExecutionException} for a failure, a timeout after {@code wait}. */
  public static <T> T await(Future<T> future, Duration wait) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(wait.toMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * Runs {@code action} on {@code context} (where production code runs it) and waits for the
   * future it returns; an exception thrown by the action itself fails the wait too.
   */
  public static <T> T onContext(Context context, Supplier<Future<T>> action, Duration wait) throws Exception {
    Promise<T> promise = Promise.promise();
    context.runOnContext(v -> {
      try {
        action.get().onComplete(promise);
      } catch (Throwable t) {
        promise.fail(t);
      }
    });
    return await(promise.future(), wait);
  }
}
