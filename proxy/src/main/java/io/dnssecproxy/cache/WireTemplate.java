package io.dnssecproxy.cache;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import org.xbill.DNS.Message;

/**
 * A cached answer pre-encoded for the hot path: the full response as wire bytes (ID 0, no OPT)
 * plus where its TTL fields are. A cache hit then costs a copy and a few patches (ID, flags,
 * the client's spelling of the question, TTLs counted down, an OPT when the client sent one)
 * instead of parsing and re-encoding a message.
 */
public final class WireTemplate {

  private static final int HEADER = 12;

  private final byte[] wire;
  private final int[] ttlOffsets; // the stored TTLs themselves stay in wire, which is never changed
  private final int questionEnd;

  private WireTemplate(byte[] wire, int[] ttlOffsets, int questionEnd) {
    this.wire = wire;
    this.ttlOffsets = ttlOffsets;
    this.questionEnd = questionEnd;
  }

  /**
   * Indexes an encoded response with exactly one question. Returns null for anything it
   * cannot walk (the caller then simply has no fast path for that answer).
   */
  public static WireTemplate of(byte[] wire) {
    try {
      int qd = u16(wire, 4);
      int records = u16(wire, 6) + u16(wire, 8) + u16(wire, 10);
      if (qd != 1) {
        return null;
      }
      int p = skipName(wire, HEADER) + 4;
      int questionEnd = p;
      int[] offsets = new int[records];
      for (int i = 0; i < records; i++) {
        p = skipName(wire, p) + 4; // type, class
        offsets[i] = p;
        p += 4;
        int rdlength = u16(wire, p);
        p += 2 + rdlength;
      }
      return p == wire.length ? new WireTemplate(wire, offsets, questionEnd) : null;
    } catch (ArrayIndexOutOfBoundsException e) {
      return null;
    }
  }

  /** Offset just past a (possibly compressed) name starting at {@code p}. */
  static int skipName(byte[] w, int p) {
    while (true) {
      int len = w[p] & 0xff;
      if (len == 0) {
        return p + 1;
      }
      if ((len & 0xc0) == 0xc0) {
        return p + 2;
      }
      if ((len & 0xc0) != 0) {
        throw new ArrayIndexOutOfBoundsException("bad label type");
      }
      p += 1 + len;
    }
  }

  public int length() {
    return wire.length;
  }

  /** Where the question section ends (its name, type and class start at 12). */
  public int questionEnd() {
    return questionEnd;
  }

  /**
   * The response for one query: a copy of the template with {@code extra} spare bytes at the
   * end, ID and question taken from the query, TTLs lowered by {@code age} seconds.
   */
  public byte[] render(byte[] query, long age, int extra) {
    byte[] out = Arrays.copyOf(wire, wire.length + extra);
    out[0] = query[0];
    out[1] = query[1];
    System.arraycopy(query, HEADER, out, HEADER, questionEnd - HEADER);
    for (int i = 0; i < ttlOffsets.length; i++) {
      int o = ttlOffsets[i];
      long ttl = Math.max(0, u32(wire, o) - age);
      out[o] = (byte) (ttl >>> 24);
      out[o + 1] = (byte) (ttl >>> 16);
      out[o + 2] = (byte) (ttl >>> 8);
      out[o + 3] = (byte) ttl;
    }
    return out;
  }

  /** The template as a message again (ID 0), for the answers the hot path does not serve. */
  public Message parse() {
    try {
      return new Message(wire);
    } catch (IOException e) {
      throw new UncheckedIOException("a template that was written by dnsjava no longer parses", e);
    }
  }

  static int u16(byte[] w, int p) {
    return ((w[p] & 0xff) << 8) | (w[p + 1] & 0xff);
  }

  static long u32(byte[] w, int p) {
    return ((long) (w[p] & 0xff) << 24) | ((w[p + 1] & 0xff) << 16) | ((w[p + 2] & 0xff) << 8) | (w[p + 3] & 0xff);
  }
}
