package io.dnssecproxy.cache;

import java.io.IOException;
import java.util.Arrays;
import org.xbill.DNS.Name;

/**
 * The normalized question an answer is cached under: the name in canonical (lower-case,
 * uncompressed) wire form, type and class.
 *
 * <p>Keyed on bytes rather than on a {@link Name} so that a cache hit can build its key straight
 * from the query's bytes ({@link #fromQuestionWire}): no name parse, no lower-cased copy of a
 * {@code Name}, and a hash over a few bytes. The {@code Name} is decoded when first asked for.
 */
public final class CacheKey {

  private final byte[] wire;
  private final int type;
  private final int dclass;
  private final int hash;
  private volatile Name name; // decoded lazily; a racing second decode yields an equal Name

  public CacheKey(Name name, int type, int dclass) {
    this(name.toWireCanonical(), type, dclass);
    this.name = name.canonicalize();
  }

  private CacheKey(byte[] wire, int type, int dclass) {
    this.wire = wire;
    this.type = type;
    this.dclass = dclass;
    this.hash = (Arrays.hashCode(wire) * 31 + type) * 31 + dclass;
  }

  /**
   * The key for an uncompressed question name of {@code length} bytes (root label included) at
   * {@code offset} in {@code message}, which the caller has checked label by label. Only ASCII
   * letters are folded, as DNS names compare (RFC 4343) and as {@link Name#canonicalize} does.
   */
  public static CacheKey fromQuestionWire(byte[] message, int offset, int length, int type, int dclass) {
    byte[] w = new byte[length];
    for (int i = 0; i < length; i++) {
      byte b = message[offset + i];
      w[i] = b >= 'A' && b <= 'Z' ? (byte) (b + ('a' - 'A')) : b;
    }
    return new CacheKey(w, type, dclass);
  }

  /**
   * This key without its decoded name, for storage: the cache holds thousands of keys, and the
   * name is needed again only by a flush (or a miss, whose key is built anew).
   */
  public CacheKey compact() {
    return name == null ? this : new CacheKey(wire, type, dclass);
  }

  /** The question name, lower-cased. */
  public Name name() {
    Name n = name;
    if (n == null) {
      try {
        n = new Name(wire);
      } catch (IOException e) {
        throw new IllegalStateException("a cache key holds a checked name", e);
      }
      name = n;
    }
    return n;
  }

  public int type() {
    return type;
  }

  public int dclass() {
    return dclass;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CacheKey k && k.hash == hash && k.type == type && k.dclass == dclass && Arrays.equals(k.wire, wire);
  }

  @Override
  public int hashCode() {
    return hash;
  }

  @Override
  public String toString() {
    return name() + "/" + org.xbill.DNS.Type.string(type) + "/" + org.xbill.DNS.DClass.string(dclass);
  }
}
