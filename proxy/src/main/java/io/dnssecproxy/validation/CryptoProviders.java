package io.dnssecproxy.validation;

import java.security.Provider;
import java.security.Security;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * Puts BouncyCastle first in the JCA provider list, so dnsjava's {@code DNSSEC.verify} (which
 * asks JCA for "SHA256withECDSA", "Ed25519" and so on by name) gets BouncyCastle's
 * implementations: the JDK's ECDSA and EdDSA verification is many times slower.
 */
public final class CryptoProviders {

  private CryptoProviders() {}

  /** Idempotent. */
  public static synchronized void installBouncyCastleFirst() {
    Provider[] providers = Security.getProviders();
    if (providers.length > 0 && BouncyCastleProvider.PROVIDER_NAME.equals(providers[0].getName())) {
      return;
    }
    Security.removeProvider(BouncyCastleProvider.PROVIDER_NAME);
    Security.insertProviderAt(new BouncyCastleProvider(), 1);
  }
}
