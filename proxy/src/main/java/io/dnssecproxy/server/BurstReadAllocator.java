package io.dnssecproxy.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelConfig;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.util.UncheckedBooleanSupplier;

/**
 * Read buffers of a fixed size, and another read in the same wake-up only when the last one
 * came back full. Netty's own allocators either stop after one read (their default of one
 * "message"), which under load costs an epoll_wait, a sendmmsg and a flush per recvmmsg batch,
 * or read until the socket is empty, which at low rates adds a read that finds nothing (and a
 * getsockopt Netty's native recvmmsg makes first) to every query.
 */
final class BurstReadAllocator implements RecvByteBufAllocator {

  private final FixedRecvByteBufAllocator fixed;
  private final int fullRead;

  /**
   * @param bufferSize bytes per read
   * @param fullRead datagrams one read returns when the socket holds more (the recvmmsg batch; 1 without it)
   * @param maxPerWake datagrams read at most before the answers ready are flushed
   */
  BurstReadAllocator(int bufferSize, int fullRead, int maxPerWake) {
    this.fixed = new FixedRecvByteBufAllocator(bufferSize);
    fixed.maxMessagesPerRead(maxPerWake);
    this.fullRead = fullRead;
  }

  @Override
  public Handle newHandle() {
    return new FullReadsContinue((ExtendedHandle) fixed.newHandle(), fullRead);
  }

  /** Netty's handle, with one more condition on going on: the last read was full. */
  static final class FullReadsContinue implements ExtendedHandle {
    private final ExtendedHandle delegate;
    private final int fullRead;
    private int lastRead;

    FullReadsContinue(ExtendedHandle delegate, int fullRead) {
      this.delegate = delegate;
      this.fullRead = fullRead;
    }

    @Override
    public ByteBuf allocate(ByteBufAllocator alloc) {
      return delegate.allocate(alloc);
    }

    @Override
    public int guess() {
      return delegate.guess();
    }

    @Override
    public void reset(ChannelConfig config) {
      delegate.reset(config);
      lastRead = 0;
    }

    @Override
    public void incMessagesRead(int numMessages) {
      delegate.incMessagesRead(numMessages);
      lastRead = numMessages;
    }

    @Override
    public void lastBytesRead(int bytes) {
      delegate.lastBytesRead(bytes);
    }

    @Override
    public int lastBytesRead() {
      return delegate.lastBytesRead();
    }

    @Override
    public void attemptedBytesRead(int bytes) {
      delegate.attemptedBytesRead(bytes);
    }

    @Override
    public int attemptedBytesRead() {
      return delegate.attemptedBytesRead();
    }

    @Override
    public boolean continueReading() {
      return lastRead >= fullRead && delegate.continueReading();
    }

    @Override
    public boolean continueReading(UncheckedBooleanSupplier maybeMoreDataSupplier) {
      return lastRead >= fullRead && delegate.continueReading(maybeMoreDataSupplier);
    }

    @Override
    public void readComplete() {
      delegate.readComplete();
    }
  }
}
