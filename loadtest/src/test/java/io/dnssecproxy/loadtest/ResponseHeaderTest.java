package io.dnssecproxy.loadtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;

class ResponseHeaderTest {

  @Test
  void readsIdQrAdTcAndRcode() {
    Message m = new Message(0xBEEF);
    m.getHeader().setFlag(Flags.QR);
    m.getHeader().setFlag(Flags.AD);
    m.getHeader().setFlag(Flags.TC);
    m.getHeader().setRcode(Rcode.SERVFAIL);
    ResponseHeader h = ResponseHeader.parse(Unpooled.wrappedBuffer(m.toWire()));
    assertEquals(new ResponseHeader(0xBEEF, true, true, true, Rcode.SERVFAIL), h);
  }

  @Test
  void plainQueryIsNotAResponseAndHasNoAd() {
    Message m = new Message(7);
    ResponseHeader h = ResponseHeader.parse(Unpooled.wrappedBuffer(m.toWire()));
    assertFalse(h.response());
    assertFalse(h.authenticData());
    assertEquals(Rcode.NOERROR, h.rcode());
  }

  @Test
  void packetShorterThanAHeaderIsNoResponse() {
    assertNull(ResponseHeader.parse(Unpooled.wrappedBuffer(new byte[11])));
  }

  @Test
  void readsFromTheBuffersReaderIndex() {
    byte[] b = new byte[14];
    b[2] = (byte) 0x12;
    b[3] = (byte) 0x34;
    b[4] = (byte) 0x80;
    b[5] = (byte) 0x23;
    var buf = Unpooled.wrappedBuffer(b);
    buf.readerIndex(2);
    ResponseHeader h = ResponseHeader.parse(buf);
    assertEquals(0x1234, h.id());
    assertTrue(h.response());
    assertTrue(h.authenticData());
    assertEquals(3, h.rcode());
  }
}
