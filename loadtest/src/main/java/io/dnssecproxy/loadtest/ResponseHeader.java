package io.dnssecproxy.loadtest;

import io.netty.buffer.ByteBuf;

/**
 * The few header fields the generator counts, read straight from the first 12 bytes: a full
 * parse per response would cost the client more than a cache hit costs the resolver. The RCODE
 * is the header's 4 bits; an extended RCODE in the OPT record is not looked at.
 */
public record ResponseHeader(int id, boolean response, boolean authenticData, boolean truncated, int rcode) {

  public static final int LENGTH = 12;

  /** The header, or null when the packet is too short to have one. */
  public static ResponseHeader parse(ByteBuf b) {
    int at = b.readerIndex();
    if (b.readableBytes() < LENGTH) {
      return null;
    }
    int id = b.getUnsignedShort(at);
    int flags = b.getUnsignedShort(at + 2);
    return new ResponseHeader(id, (flags & 0x8000) != 0, (flags & 0x0020) != 0, (flags & 0x0200) != 0, flags & 0x000F);
  }
}
