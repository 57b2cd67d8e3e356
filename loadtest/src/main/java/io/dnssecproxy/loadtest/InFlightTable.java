package io.dnssecproxy.loadtest;

import java.util.ArrayDeque;

/**
 * The queries one event loop has outstanding, by (socket, DNS ID), plus their send order so
 * timeouts can be found from the oldest end without scanning every slot. Each socket has 65,536
 * IDs; an ID is reused only after its query was answered or timed out. Not thread-safe: one
 * event loop owns it.
 */
public final class InFlightTable {

  /** One query on the wire. */
  public static final class Pending {
    final int socket;
    final int id;
    final long intendedNanos;
    final long sentNanos;
    boolean done;

    Pending(int socket, int id, long intendedNanos, long sentNanos) {
      this.socket = socket;
      this.id = id;
      this.intendedNanos = intendedNanos;
      this.sentNanos = sentNanos;
    }

    public long intendedNanos() {
      return intendedNanos;
    }

    public long sentNanos() {
      return sentNanos;
    }
  }

  private static final int IDS = 65536;

  private final Pending[][] slots;
  private final int[] nextId;
  private final ArrayDeque<Pending> sendOrder = new ArrayDeque<>();
  private int outstanding;

  /** @param firstIds where each socket starts counting IDs (random in a run, fixed in tests) */
  public InFlightTable(int sockets, int[] firstIds) {
    slots = new Pending[sockets][IDS];
    nextId = new int[sockets];
    for (int s = 0; s < sockets; s++) {
      nextId[s] = firstIds[s] & 0xFFFF;
    }
  }

  /** A free ID on {@code socket}, or -1 when all 65,536 are outstanding. Does not reserve it. */
  public int freeId(int socket) {
    Pending[] s = slots[socket];
    int id = nextId[socket];
    for (int tries = 0; tries < IDS; tries++, id = (id + 1) & 0xFFFF) {
      if (s[id] == null) {
        nextId[socket] = (id + 1) & 0xFFFF;
        return id;
      }
    }
    return -1;
  }

  public void add(int socket, int id, long intendedNanos, long sentNanos) {
    Pending p = new Pending(socket, id, intendedNanos, sentNanos);
    if (slots[socket][id] != null) {
      throw new IllegalStateException("ID " + id + " already outstanding on socket " + socket);
    }
    slots[socket][id] = p;
    sendOrder.addLast(p);
    outstanding++;
  }

  /** The query answered by a response with {@code id} on {@code socket}, removed; null if none (late or stray). */
  public Pending complete(int socket, int id) {
    Pending p = slots[socket][id & 0xFFFF];
    if (p == null) {
      return null;
    }
    slots[socket][p.id] = null;
    p.done = true;
    outstanding--;
    return p;
  }

  /** Removes every query sent before {@code sentBefore} and still unanswered; returns how many. */
  public int expire(long sentBefore) {
    int expired = 0;
    while (!sendOrder.isEmpty()) {
      Pending p = sendOrder.peekFirst();
      if (p.done) {
        sendOrder.pollFirst();
        continue;
      }
      if (p.sentNanos - sentBefore >= 0) {
        break;
      }
      sendOrder.pollFirst();
      slots[p.socket][p.id] = null;
      outstanding--;
      expired++;
    }
    return expired;
  }

  public int outstanding() {
    return outstanding;
  }
}
