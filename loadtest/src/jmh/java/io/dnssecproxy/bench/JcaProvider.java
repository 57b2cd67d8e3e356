package io.dnssecproxy.bench;

import io.dnssecproxy.validation.CryptoProviders;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.Security;
import java.security.Signature;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * Sets up the JCA provider list of a benchmark fork: "BC" as the proxy does at start-up
 * (BouncyCastle first), "JDK" (the JDK's own providers only), or "BC2": BouncyCastle second,
 * after the JDK's SUN provider, so that message digests (SHA-1, SHA-256: SUN has CPU intrinsics
 * for them) stay with the JDK while signatures, which SUN does not offer for RSA, ECDSA or EdDSA,
 * come from BouncyCastle. JMH runs each parameter set in its own fork, so the global provider
 * list of one never leaks into another.
 */
final class JcaProvider {

  private JcaProvider() {}

  static void use(String which) {
    switch (which) {
      case "BC" -> CryptoProviders.installBouncyCastle();
      case "JDK" -> Security.removeProvider(BouncyCastleProvider.PROVIDER_NAME);
      case "BC2" -> {
        Security.removeProvider(BouncyCastleProvider.PROVIDER_NAME);
        Security.insertProviderAt(new BouncyCastleProvider(), 2);
      }
      default -> throw new IllegalArgumentException("provider must be BC, BC2 or JDK, not " + which);
    }
  }

  /** Fails the benchmark when the algorithm would not come from the provider it is labelled with. */
  static void check(String which, String signatureAlgorithm) throws NoSuchAlgorithmException {
    String actual = signatureAlgorithm.equals("SHA-1")
        ? MessageDigest.getInstance("SHA-1").getProvider().getName()
        : Signature.getInstance(signatureAlgorithm).getProvider().getName();
    boolean bc = actual.equals(BouncyCastleProvider.PROVIDER_NAME);
    boolean digest = signatureAlgorithm.equals("SHA-1");
    boolean wantBc = which.equals("BC") || (which.equals("BC2") && !digest);
    if (bc != wantBc) {
      throw new IllegalStateException(signatureAlgorithm + " comes from " + actual + ", not " + which);
    }
  }
}
