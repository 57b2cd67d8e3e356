package io.dnssecproxy.testing;

import java.lang.management.ManagementFactory;

/**
 * Bytes allocated by one thread, from HotSpot's per-thread counter: lets a fuzz target check
 * that an input of n bytes cannot make the code under test allocate without bound.
 */
public final class AllocationMeter {

  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  private AllocationMeter() {}

  /** Bytes the thread with this id has allocated so far (-1 if the JVM cannot tell). */
  public static long allocatedBy(long threadId) {
    return THREADS.getThreadAllocatedBytes(threadId);
  }

  public static long allocatedByCurrentThread() {
    return allocatedBy(Thread.currentThread().getId());
  }
}
