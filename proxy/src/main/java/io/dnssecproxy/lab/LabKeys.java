package io.dnssecproxy.lab;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Security;
import java.security.spec.ECGenParameterSpec;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.xbill.DNS.DNSSEC;

/**
 * Generates DNSSEC key pairs and caches them for the whole JVM.
 *
 * <p>RSA-2048 generation costs hundreds of milliseconds, so every (algorithm, role, index) triple
 * is generated once; zones that must not share keys ask for different indexes.
 */
public final class LabKeys {

  private record Slot(int algorithm, KeyRole role, int index) {}

  private static final Map<Slot, KeyPair> CACHE = new ConcurrentHashMap<>();

  static {
    ensureProvider();
  }

  private LabKeys() {}

  /** Registers BouncyCastle first, as the production code does, so tests see the same providers. */
  public static synchronized void ensureProvider() {
    if (Security.getProvider(BouncyCastleProvider.PROVIDER_NAME) == null) {
      Security.insertProviderAt(new BouncyCastleProvider(), 1);
    }
  }

  /** The cached key pair for this slot, generating it on first use. */
  public static KeyPair keyPair(int algorithm, KeyRole role, int index) {
    return CACHE.computeIfAbsent(new Slot(algorithm, role, index), s -> generate(s.algorithm()));
  }

  private static KeyPair generate(int algorithm) {
    try {
      switch (algorithm) {
        case DNSSEC.Algorithm.RSASHA1:
        case DNSSEC.Algorithm.RSASHA256:
        case DNSSEC.Algorithm.RSASHA512:
          KeyPairGenerator rsa = generator("RSA", "SunRsaSign");
          rsa.initialize(2048);
          return rsa.generateKeyPair();
        case DNSSEC.Algorithm.ECDSAP256SHA256:
          return ec("secp256r1");
        case DNSSEC.Algorithm.ECDSAP384SHA384:
          return ec("secp384r1");
        case DNSSEC.Algorithm.ED25519:
          return generator("Ed25519", "SunEC").generateKeyPair();
        default:
          throw new IllegalArgumentException("unsupported DNSSEC algorithm " + algorithm);
      }
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot generate key for algorithm " + algorithm, e);
    }
  }

  private static KeyPair ec(String curve) throws GeneralSecurityException {
    KeyPairGenerator gen = generator("EC", "SunEC");
    gen.initialize(new ECGenParameterSpec(curve));
    return gen.generateKeyPair();
  }

  /**
   * Prefers the JDK provider (faster RSA generation), falling back to whatever is registered:
   * some JDK builds (Debian's) ship a SunEC that cannot even construct its EC generator.
   */
  private static KeyPairGenerator generator(String alg, String provider)
      throws GeneralSecurityException {
    try {
      return KeyPairGenerator.getInstance(alg, provider);
    } catch (GeneralSecurityException e) {
      return KeyPairGenerator.getInstance(alg);
    }
  }
}
