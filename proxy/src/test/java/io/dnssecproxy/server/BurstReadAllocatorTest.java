package io.dnssecproxy.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.ChannelConfig;
import io.netty.channel.RecvByteBufAllocator.ExtendedHandle;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.UncheckedBooleanSupplier;
import org.junit.jupiter.api.Test;

class BurstReadAllocatorTest {

  private final ChannelConfig config = new EmbeddedChannel().config();

  private ExtendedHandle handle() {
    ExtendedHandle h = (ExtendedHandle) new BurstReadAllocator(16384, 8, 32).newHandle();
    h.reset(config);
    return h;
  }

  private static boolean afterRead(ExtendedHandle h, int datagrams) {
    h.incMessagesRead(datagrams);
    h.lastBytesRead(datagrams * 100);
    return h.continueReading(UncheckedBooleanSupplier.TRUE_SUPPLIER);
  }

  @Test
  void readsAgainOnlyAfterAFullBatch() {
    ExtendedHandle h = handle();
    assertTrue(afterRead(h, 8), "a full batch: the socket may hold more");
    assertFalse(afterRead(h, 3), "a partial batch: the socket is drained, no read to find nothing");
    ExtendedHandle single = handle();
    assertFalse(afterRead(single, 1), "one query at a low rate: one read per wake-up");
  }

  @Test
  void stopsAtTheCapPerWakeUpAndStartsAfreshAfterReset() {
    ExtendedHandle h = handle();
    assertTrue(afterRead(h, 8));
    assertTrue(afterRead(h, 8));
    assertTrue(afterRead(h, 8));
    assertFalse(afterRead(h, 8), "32 datagrams: flush the answers and let other channels run");
    h.reset(config);
    assertTrue(afterRead(h, 8), "the next wake-up reads again");
  }

  @Test
  void buffersAreOfTheFixedSize() {
    ByteBuf b = handle().allocate(UnpooledByteBufAllocator.DEFAULT);
    try {
      assertEquals(16384, b.capacity());
    } finally {
      b.release();
    }
  }
}
