package io.dnssecproxy.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

class HostPortTest {

  private static InetSocketAddress addr(String ip, int port) throws Exception {
    return new InetSocketAddress(InetAddress.getByName(ip), port);
  }

  @Test
  void ipv4WithPort() throws Exception {
    assertEquals(addr("10.96.0.10", 5353), HostPort.parse("10.96.0.10:5353", 53));
  }

  @Test
  void ipv4WithoutPortTakesTheDefault() throws Exception {
    assertEquals(addr("10.96.0.10", 53), HostPort.parse("10.96.0.10", 53));
  }

  @Test
  void surroundingWhitespaceIsIgnored() throws Exception {
    assertEquals(addr("127.0.0.1", 53), HostPort.parse("  127.0.0.1:53 ", 1));
  }

  @Test
  void bracketedIpv6WithPort() throws Exception {
    assertEquals(addr("fd00::10", 5353), HostPort.parse("[fd00::10]:5353", 53));
  }

  @Test
  void bracketedIpv6WithoutPortTakesTheDefault() throws Exception {
    assertEquals(addr("::1", 53), HostPort.parse("[::1]", 53));
  }

  @Test
  void bareIpv6TakesTheDefaultPort() throws Exception {
    InetSocketAddress a = HostPort.parse("2001:db8::53", 53);
    assertEquals(addr("2001:db8::53", 53), a);
  }

  @Test
  void portZeroIsAccepted() throws Exception {
    assertEquals(0, HostPort.parse("127.0.0.1:0", 53).getPort());
  }

  @Test
  void portAboveRangeIsRejected() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> HostPort.parse("127.0.0.1:65536", 53));
    assertTrue(e.getMessage().contains("out of range"), e.getMessage());
  }

  @Test
  void nonNumericPortIsRejected() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> HostPort.parse("127.0.0.1:dns", 53));
    assertTrue(e.getMessage().contains("port 'dns' is not a number"), e.getMessage());
  }

  @Test
  void emptyPortIsRejected() {
    assertThrows(IllegalArgumentException.class, () -> HostPort.parse("127.0.0.1:", 53));
  }

  @Test
  void unclosedBracketIsRejected() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> HostPort.parse("[::1:53", 53));
    assertTrue(e.getMessage().contains("unclosed"), e.getMessage());
  }

  @Test
  void garbageAfterBracketIsRejected() {
    assertThrows(IllegalArgumentException.class, () -> HostPort.parse("[::1]53", 53));
  }

  @Test
  void hostNamesAreRejectedWithAnExplanation() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> HostPort.parse("kube-dns.kube-system:53", 53));
    assertTrue(e.getMessage().contains("is not an IP address"), e.getMessage());
    assertTrue(e.getMessage().contains("host names are not resolved"), e.getMessage());
  }

  @Test
  void localhostIsAHostNameAndRejected() {
    assertThrows(IllegalArgumentException.class, () -> HostPort.parse("localhost", 53));
  }

  @Test
  void shortDottedFormsAreNotTakenForAddresses() {
    // InetAddress would read "10.1" as 10.0.0.1; an operator almost certainly mistyped.
    assertThrows(IllegalArgumentException.class, () -> HostPort.parse("10.1:53", 53));
  }

  @Test
  void octetAbove255IsRejected() {
    assertThrows(IllegalArgumentException.class, () -> HostPort.parse("10.0.0.256", 53));
  }

  @Test
  void invalidIpv6LiteralIsRejected() {
    assertThrows(IllegalArgumentException.class, () -> HostPort.parse("[1::2::3]:53", 53));
  }

  @Test
  void emptyTextIsRejected() {
    assertThrows(IllegalArgumentException.class, () -> HostPort.parse("  ", 53));
  }

  @Test
  void formatBracketsIpv6AndNotIpv4() throws Exception {
    assertEquals("[::1]:53", HostPort.format(addr("::1", 53)).replace("0:0:0:0:0:0:0:1", "::1"));
    assertEquals("10.0.0.1:5353", HostPort.format(addr("10.0.0.1", 5353)));
  }
}
