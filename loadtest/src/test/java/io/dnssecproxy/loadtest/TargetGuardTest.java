package io.dnssecproxy.loadtest;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class TargetGuardTest {

  @Test
  void loopbackTargetsNeedNoPermission() throws Exception {
    assertDoesNotThrow(() -> TargetGuard.check(InetAddress.getByName("127.0.10.201"), false));
    assertDoesNotThrow(() -> TargetGuard.check(InetAddress.getByName("::1"), false));
  }

  @Test
  void otherTargetsNeedExplicitPermission() throws Exception {
    InetAddress pod = InetAddress.getByName("10.1.2.3");
    assertThrows(IllegalArgumentException.class, () -> TargetGuard.check(pod, false));
    assertDoesNotThrow(() -> TargetGuard.check(pod, true));
  }
}
