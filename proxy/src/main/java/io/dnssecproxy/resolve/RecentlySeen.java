package io.dnssecproxy.resolve;

import java.util.Arrays;

/**
 * Which keys were seen lately, approximately and in fixed memory (a Bloom filter with two bit
 * positions per key: the "doorkeeper" of TinyLFU). Lets the pipeline cache only what is asked for
 * a second time. A key is reported as seen by mistake with a chance of at most about one in
 * sixteen (when the filter is fullest); such a key is merely cached early. The filter clears
 * itself after {@code bits / 8} keys, so that old marks do not pile up. One event loop owns it:
 * not thread-safe.
 */
final class RecentlySeen {

  private final long[] words;
  private final int mask;
  private final int clearAfter;
  private int marked;

  /** @param log2Bits size of the filter: 2^log2Bits bits (16 gives 8 KiB and clears every 8,192 keys) */
  RecentlySeen(int log2Bits) {
    if (log2Bits < 6 || log2Bits > 30) {
      throw new IllegalArgumentException("log2Bits must be 6..30: " + log2Bits);
    }
    this.words = new long[1 << (log2Bits - 6)];
    this.mask = (1 << log2Bits) - 1;
    this.clearAfter = 1 << (log2Bits - 3);
  }

  /** Whether {@code key} was marked since the last clearing; marks it if it was not. */
  boolean seenBefore(Object key) {
    int h = spread(key);
    int first = first(h);
    int second = second(h);
    if (isSet(first) && isSet(second)) {
      return true;
    }
    if (++marked > clearAfter) {
      Arrays.fill(words, 0);
      marked = 1;
    }
    set(first);
    set(second);
    return false;
  }

  /** Whether {@code key} was marked since the last clearing; marks nothing. */
  boolean seen(Object key) {
    int h = spread(key);
    return isSet(first(h)) && isSet(second(h));
  }

  private static int spread(Object key) {
    return key.hashCode() * 0x9E3779B9; // spread the bits of weak hash codes
  }

  private int first(int h) {
    return (h ^ (h >>> 16)) & mask;
  }

  private int second(int h) {
    return (Integer.rotateLeft(h, 13) * 0x85EBCA6B) & mask;
  }

  private boolean isSet(int bit) {
    return (words[bit >>> 6] & (1L << bit)) != 0;
  }

  private void set(int bit) {
    words[bit >>> 6] |= 1L << bit;
  }
}
