package io.dnssecproxy.validation;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.NoSuchProviderException;
import java.security.Provider;
import java.security.Security;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * Makes BouncyCastle the JCA provider of every signature algorithm dnsjava's
 * {@code DNSSEC.verify} asks for by name ("SHA256withECDSA", "Ed25519", ...): the JDK's ECDSA
 * and EdDSA verification is many times slower (JMH in loadtest/: ECDSA P-256 77 µs with
 * BouncyCastle vs 1145 µs with the JDK, Ed25519 147 vs 607). It goes right after the JDK's SUN
 * provider, which offers no signatures but the fastest SHA-1/SHA-256 digests (NSEC3 hashing:
 * 8.9 µs vs 39 µs with BouncyCastle's at 150 iterations), so each side does what it is fastest at.
 */
public final class CryptoProviders {

  private CryptoProviders() {}

  /** Idempotent. */
  public static synchronized void installBouncyCastle() {
    Provider[] providers = Security.getProviders();
    int position = providers.length > 0 && "SUN".equals(providers[0].getName()) ? 2 : 1;
    if (providers.length >= position && BouncyCastleProvider.PROVIDER_NAME.equals(providers[position - 1].getName())) {
      return;
    }
    Security.removeProvider(BouncyCastleProvider.PROVIDER_NAME);
    Security.insertProviderAt(new BouncyCastleProvider(), position);
  }

  /**
   * One digest per thread from the JDK's SUN provider where present: with BouncyCastle ahead of
   * it for signatures, asking by name alone would get BouncyCastle's, several times slower.
   */
  public static ThreadLocal<MessageDigest> fastDigest(String algorithm) {
    return ThreadLocal.withInitial(() -> {
      try {
        return MessageDigest.getInstance(algorithm, "SUN");
      } catch (NoSuchAlgorithmException | NoSuchProviderException e) {
        try {
          return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException none) {
          throw new IllegalStateException("no " + algorithm + " in this JVM", none);
        }
      }
    });
  }
}
