package io.dnssecproxy.lab;

/**
 * A change applied to a zone after it has been signed, to make part of it bogus on purpose.
 * Factories live in {@link ZoneMutations}.
 */
@FunctionalInterface
public interface ZoneMutation {

  void apply(Context zone);

  /** What a mutation may touch: the signed data, the keys, the signing window. */
  interface Context {
    ZoneContent content();

    ZoneKey ksk();

    ZoneKey zsk();

    SigningConfig signing();

    /** Makes the zone leave NSEC/NSEC3 records out of its negative answers. */
    void omitDenialProofs();
  }
}
