package io.dnssecproxy.loadtest;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.concurrent.Promise;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * One event loop's share of the load: its sockets, its outstanding queries and the step it is
 * running. Everything here runs on that event loop's thread, so nothing is locked. Worker
 * {@code k} of {@code K} sends the queries {@code k, k+K, k+2K, ...} of the file, so together the
 * workers go through the file in order.
 */
final class LoopWorker {

  /** What a finished step hands back: the counts and the span of time queries were sent in. */
  record Outcome(StepRecorder recorder, long sendStartNanos, long sendEndNanos) {}

  private final int index;
  private final int workers;
  private final EventLoop loop;
  private final Channel[] channels;
  private final boolean[] dirty;
  private final InetSocketAddress target;
  private final byte[][] templates;
  private final InFlightTable table;
  private final long spinNanos;

  private int nextSocket;
  private long fileOffset;
  private StepRecorder recorder = new StepRecorder();
  private Step step;

  LoopWorker(int index, int workers, EventLoop loop, Channel[] channels, InetSocketAddress target,
      byte[][] templates, InFlightTable table, long spinNanos) {
    this.index = index;
    this.workers = workers;
    this.loop = loop;
    this.channels = channels;
    this.dirty = new boolean[channels.length];
    this.target = target;
    this.templates = templates;
    this.table = table;
    this.spinNanos = spinNanos;
  }

  EventLoop loop() {
    return loop;
  }

  Channel[] channels() {
    return channels;
  }

  /**
   * Starts a step on the event loop; {@code done} completes when it has ended by itself. The
   * step's queries begin at line {@code fileOffset} of the file (modulo its length), so a
   * sweep over distinct names keeps going through the file instead of repeating its start.
   */
  void start(StepPlan plan, long startNanos, long fileOffset, Promise<Outcome> done) {
    loop.execute(() -> {
      recorder = new StepRecorder();
      this.fileOffset = fileOffset;
      step = new Step(plan, startNanos, done);
      step.begin();
    });
  }

  /** A response arrived on socket {@code socket} (called on the event loop). */
  void onResponse(int socket, InetSocketAddress sender, ResponseHeader h, long receivedNanos) {
    if (h == null || !h.response() || !target.equals(sender)) {
      recorder.unmatched++;
      return;
    }
    InFlightTable.Pending p = table.complete(socket, h.id());
    if (p == null) {
      recorder.unmatched++;
      return;
    }
    recorder.answered(h, p.intendedNanos(), p.sentNanos(), receivedNanos);
    if (step != null) {
      step.slotFreed(1);
    }
  }

  /** After a burst of reads: send what the freed slots allowed, in as few syscalls as possible. */
  void onReadComplete() {
    flush();
  }

  private boolean send(long queryNumber, long intendedNanos) {
    long global = fileOffset + index + queryNumber * workers;
    byte[] t = templates[(int) (global % templates.length)];
    for (int tries = 0; tries < channels.length; tries++) {
      int s = nextSocket;
      nextSocket = (s + 1) % channels.length;
      int id = table.freeId(s);
      if (id < 0) {
        continue;
      }
      ByteBuf buf = channels[s].alloc().directBuffer(t.length);
      buf.writeBytes(t).setShort(0, id);
      long now = System.nanoTime();
      table.add(s, id, intendedNanos, now);
      channels[s].write(new DatagramPacket(buf, target), channels[s].voidPromise());
      dirty[s] = true;
      recorder.sent(intendedNanos, now);
      return true;
    }
    recorder.dropped++;
    return false;
  }

  private void flush() {
    for (int s = 0; s < channels.length; s++) {
      if (dirty[s]) {
        dirty[s] = false;
        channels[s].flush();
      }
    }
  }

  /** The state of the running step. */
  private final class Step {
    private final StepPlan plan;
    private final Promise<Outcome> done;
    private final long timeoutNanos;
    private final long sweepNanos;
    private final long deadlineNanos;
    private final long limit;
    private final RatePacer pacer;
    private final long spin;
    private long count;
    private long sendStart;
    private long sendEnd;
    private boolean sending = true;
    private ScheduledFuture<?> sweeper;

    Step(StepPlan plan, long startNanos, Promise<Outcome> done) {
      this.plan = plan;
      this.done = done;
      this.timeoutNanos = plan.timeout().toNanos();
      this.sweepNanos = Math.max(1_000_000L, Math.min(timeoutNanos / 10, 50_000_000L));
      this.deadlineNanos = startNanos + plan.duration().toNanos();
      long byCount = plan.shareOfMaxQueries(index, workers);
      if (plan.openLoop()) {
        double perWorker = plan.rate() / workers;
        // workers interleave: worker k starts k intervals of the overall rate late
        this.pacer = new RatePacer(startNanos + (long) (index * 1e9 / plan.rate()), perWorker);
        // spinning costs at most a tenth of the interval between one worker's queries
        this.spin = Math.min(spinNanos, (long) (1e8 / perWorker));
        this.limit = Math.min(byCount, pacer.dueBy(deadlineNanos - 1));
      } else {
        this.pacer = null;
        this.limit = byCount;
        this.spin = 0;
      }
      this.sendStart = startNanos;
    }

    void begin() {
      sweeper = loop.scheduleAtFixedRate(this::sweep, sweepNanos, sweepNanos, TimeUnit.NANOSECONDS);
      if (pacer != null) {
        tick();
      } else {
        int window = Math.max(1, (plan.outstanding() + workers - 1 - index) / workers);
        slotFreed(window);
        flush();
      }
    }

    /** Open loop: send everything that is due, then sleep until the next query is. */
    private void tick() {
      if (!sending) {
        return;
      }
      spinUntil(pacer.intendedNanos(Math.min(count, limit - 1)));
      long due = Math.min(pacer.dueBy(System.nanoTime()), limit);
      while (count < due) {
        send(count, pacer.intendedNanos(count));
        count++;
      }
      flush();
      if (count >= limit) {
        stopSending();
        return;
      }
      // wake a little early and spin the rest: a timer alone fires tens of microseconds late,
      // which would be charged to the server as latency
      long wait = pacer.intendedNanos(count) - System.nanoTime() - spin;
      loop.schedule(this::tick, Math.max(0, wait), TimeUnit.NANOSECONDS);
    }

    private void spinUntil(long nanos) {
      long left;
      while ((left = nanos - System.nanoTime()) > 0 && left <= spin) {
        Thread.onSpinWait();
      }
    }

    /** Closed loop: each answered or expired query makes room for a new one. */
    void slotFreed(int n) {
      if (pacer != null) {
        maybeFinish();
        return;
      }
      for (int i = 0; i < n && sending; i++) {
        long now = System.nanoTime();
        if (count >= limit || now - deadlineNanos >= 0) {
          stopSending();
          break;
        }
        send(count++, now);
      }
      maybeFinish();
    }

    private void sweep() {
      int expired = table.expire(System.nanoTime() - timeoutNanos);
      if (expired > 0) {
        recorder.timeouts += expired;
        slotFreed(expired);
        flush();
      }
      if (pacer == null && sending && System.nanoTime() - deadlineNanos >= 0) {
        stopSending();
      }
      maybeFinish();
      if (!sending && System.nanoTime() - (sendEnd + timeoutNanos) >= 0) {
        recorder.timeouts += table.expire(System.nanoTime() + 1);
        finish();
      }
    }

    private void stopSending() {
      if (sending) {
        sending = false;
        // open loop: the sending span ends when the next query would have been due, so N queries
        // at rate r span exactly N / r seconds and the QPS is not inflated by one interval
        long now = System.nanoTime();
        sendEnd = pacer == null ? now : Math.max(now, pacer.intendedNanos(count));
      }
    }

    private void maybeFinish() {
      if (!sending && table.outstanding() == 0) {
        finish();
      }
    }

    private void finish() {
      if (step != this) {
        return;
      }
      sweeper.cancel(false);
      step = null;
      StepRecorder finished = recorder;
      // stray answers after the end must not touch counts the caller is now reading
      recorder = new StepRecorder();
      done.trySuccess(new Outcome(finished, sendStart, sendEnd));
    }
  }
}
