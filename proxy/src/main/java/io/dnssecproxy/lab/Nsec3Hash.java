package io.dnssecproxy.lab;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import org.xbill.DNS.Name;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.utils.base32;

/** NSEC3 owner-name hashing (RFC 5155 section 5) and the base32hex owner label. */
public final class Nsec3Hash {

  private static final base32 BASE32HEX = new base32(base32.Alphabet.BASE32HEX, false, true);

  private Nsec3Hash() {}

  /** SHA-1 of the canonical wire name and salt, re-hashed {@code iterations} more times. */
  public static byte[] hash(Name name, Nsec3Params params) {
    MessageDigest sha1 = sha1();
    byte[] salt = params.salt();
    sha1.update(name.canonicalize().toWireCanonical());
    sha1.update(salt);
    byte[] digest = sha1.digest();
    for (int i = 0; i < params.iterations(); i++) {
      sha1.update(digest);
      sha1.update(salt);
      digest = sha1.digest();
    }
    return digest;
  }

  /** The NSEC3 owner for a hash: base32hex(hash) as the leftmost label under the apex. */
  public static Name ownerName(byte[] hash, Name apex) {
    try {
      return Name.fromString(BASE32HEX.toString(hash), apex);
    } catch (TextParseException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The hash encoded in an NSEC3 owner's first label. */
  public static byte[] hashOfOwner(Name nsec3Owner) {
    return BASE32HEX.fromString(nsec3Owner.getLabelString(0));
  }

  /** RFC 5155 ordering of hashes: unsigned bytewise. */
  public static int compare(byte[] a, byte[] b) {
    return java.util.Arrays.compareUnsigned(a, b);
  }

  private static MessageDigest sha1() {
    try {
      return MessageDigest.getInstance("SHA-1");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
