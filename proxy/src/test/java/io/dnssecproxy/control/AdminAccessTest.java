package io.dnssecproxy.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.dnssecproxy.config.AdminToken;
import java.net.InetSocketAddress;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AdminAccessTest {

  private static final InetSocketAddress LOOPBACK = new InetSocketAddress("127.0.0.1", 9153);
  private static final InetSocketAddress LOOPBACK6 = new InetSocketAddress("::1", 9153);
  private static final InetSocketAddress POD_IP = new InetSocketAddress("0.0.0.0", 9153);

  @Test
  void withoutATokenALoopbackAdminServerAllowsChanges() {
    assertNull(new AdminAccess(Optional.empty(), LOOPBACK).refusal(null));
    assertNull(new AdminAccess(Optional.empty(), LOOPBACK6).refusal(null));
    assertEquals("loopback", new AdminAccess(Optional.empty(), LOOPBACK).describe());
  }

  @Test
  void withoutATokenAnyOtherAddressRefusesChanges() {
    AdminAccess access = new AdminAccess(Optional.empty(), POD_IP);
    assertNotNull(access.refusal(null));
    assertNotNull(access.refusal("Bearer anything"));
    assertEquals("read-only", access.describe());
  }

  @Test
  void withATokenOnlyTheRightBearerTokenIsAllowedEvenOnLoopback() {
    AdminAccess access = new AdminAccess(Optional.of(new AdminToken("s3cret")), LOOPBACK);
    assertNull(access.refusal("Bearer s3cret"));
    assertNull(access.refusal("bearer   s3cret "));
    assertNotNull(access.refusal(null));
    assertNotNull(access.refusal("Bearer s3cre"));
    assertNotNull(access.refusal("Basic czNjcmV0"));
    assertNotNull(access.refusal("s3cret"));
    assertEquals("token", access.describe());
  }

  @Test
  void aTokenOpensANonLoopbackAdminServer() {
    assertNull(new AdminAccess(Optional.of(new AdminToken("t")), POD_IP).refusal("Bearer t"));
  }

  @Test
  void theTokenNeverShowsInItsStringForm() {
    assertEquals("AdminToken[redacted]", new AdminToken("s3cret").toString());
  }
}
