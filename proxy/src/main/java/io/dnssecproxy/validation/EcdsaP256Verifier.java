package io.dnssecproxy.validation;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DNSSEC.Algorithm;
import org.xbill.DNS.RRSIGRecord;

/**
 * Verifies algorithm-13 signatures with {@link EcdsaP256} once a key has been used before: the
 * first verification with a key goes the usual way (dnsjava and BouncyCastle), the second builds
 * the key's table (about the cost of two verifications), and every later one uses it. A key
 * that signs once in a while (a KSK over its DNSKEY set) pays for no table on its first use; a
 * zone's signing key, verified for every answer from its zone, pays once.
 *
 * <p>A hostile zone cannot make it build tables without limit: a table costs about three
 * verifications, once per key while the key stays among the {@value #MAX_KEYS} kept, and every
 * verification that gets there has been charged to the query's work budget already.
 *
 * <p>Anything it cannot decide (another algorithm, a key name that does not match the signer, a
 * signature or key of the wrong shape) is left to dnsjava, so errors keep their usual wording.
 */
final class EcdsaP256Verifier {

  /** Verifications a key gets the usual way before it earns a table. */
  private static final int USES_BEFORE_TABLE = 1;
  /** Tables kept: about 6.5 KB each, 1.7 MB at most. A sidecar's traffic touches far fewer signing keys. */
  private static final int MAX_KEYS = 256;

  private static final ThreadLocal<MessageDigest> SHA256 = CryptoProviders.fastDigest("SHA-256");

  private final Cache<ByteBuffer, KeyState> keys =
      Caffeine.newBuilder().maximumSize(MAX_KEYS).executor(Runnable::run).build();

  /**
   * TRUE or FALSE when this class decided whether {@code sig} by {@code key} proves
   * {@code signedData} (the RRSIG's fields and the RRset, as {@code DNSSEC.digestRRset} lays
   * them out); null when dnsjava is to verify it. The validity window is the caller's.
   */
  Boolean verify(byte[] signedData, RRSIGRecord sig, DNSKEYRecord key) {
    if (sig.getAlgorithm() != Algorithm.ECDSAP256SHA256
        || key.getAlgorithm() != Algorithm.ECDSAP256SHA256
        || sig.getSignature().length != 64
        || !key.getName().equals(sig.getSigner())) {
      return null;
    }
    byte[] material = key.getKey();
    EcdsaP256.Table table = keys.get(ByteBuffer.wrap(material), k -> new KeyState()).table(material);
    if (table == null) {
      return null;
    }
    byte[] digest = SHA256.get().digest(signedData);
    return EcdsaP256.verify(table, digest, sig.getSignature());
  }

  /** Uses of one key so far and, once earned, its table. Races only cost a table built twice. */
  private static final class KeyState {
    private int uses;
    private volatile EcdsaP256.Table table;
    private volatile boolean unusable;

    EcdsaP256.Table table(byte[] key) {
      EcdsaP256.Table t = table;
      if (t != null || unusable) {
        return t;
      }
      if (uses++ < USES_BEFORE_TABLE) {
        return null;
      }
      t = EcdsaP256.keyTable(key);
      if (t == null) {
        unusable = true; // not a curve point: dnsjava reports it as it always has
      } else {
        table = t;
      }
      return t;
    }
  }
}
