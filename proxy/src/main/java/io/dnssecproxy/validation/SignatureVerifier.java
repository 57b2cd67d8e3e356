package io.dnssecproxy.validation;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.RRset;

/**
 * Checks an RRset's signatures against a zone's DNSKEY set: signer, labels, validity window
 * (with a small clock-skew allowance), key tag and algorithm, then the crypto (dnsjava's
 * {@link DNSSEC#verify} on whichever JCA provider is first: BouncyCastle, see
 * {@code CryptoProviders}; ECDSA P-256 with a key seen before: {@link EcdsaP256Verifier}; RSA
 * signatures it can prove: {@link RsaVerifier}); a signature proven recently with the same key
 * over the same data is not verified again ({@link ProvenSignatures}). One
 * good signature is enough; when none is good the failure with the most specific meaning is
 * reported.
 */
public final class SignatureVerifier {

  /** How many (signature, key) pairs one RRset may cost before it is declared bogus. */
  private static final int MAX_ATTEMPTS_PER_RRSET = 8;

  private final AlgorithmPolicy algorithms;
  private final Duration skew;
  private final EcdsaP256Verifier p256 = new EcdsaP256Verifier();
  private final RsaVerifier rsa = new RsaVerifier();
  private final ProvenSignatures proven;
  private final LongAdder verified = new LongAdder();
  private final LongAdder provenBefore = new LongAdder();
  private final LongAdder failed = new LongAdder();

  /** What became of one signature check, for the metrics. */
  public enum Check {
    /** the crypto ran and proved the signature */
    VERIFIED,
    /** a proof of the same signature, data and key was found, so no crypto ran */
    PROVEN_BEFORE,
    /** the crypto ran and did not prove it (a bad signature, or a key it cannot be checked with) */
    FAILED
  }

  public SignatureVerifier(AlgorithmPolicy algorithms, Duration skew) {
    this(algorithms, skew, ProvenSignatures.DEFAULT_SLOTS);
  }

  /**
   * @param provenSignatureSlots how many recent proofs to keep so as not to verify them again;
   *     0 verifies every signature every time (the micro-benchmark of the crypto paths does)
   */
  public SignatureVerifier(AlgorithmPolicy algorithms, Duration skew, int provenSignatureSlots) {
    this.algorithms = algorithms;
    this.skew = skew;
    this.proven = new ProvenSignatures(provenSignatureSlots);
  }

  /**
   * The outcome of verifying one RRset; {@code signature} is the RRSIG that proved it.
   * {@code zoneHostile} is true when the zone showed itself hostile: the attempt cap was hit (real
   * zones never offer that many signature/key pairs for one RRset), or the RRset failed and its
   * signatures named keys too costly to verify with (RSA exponent over 64 bits or modulus over
   * 4096 bits), which no signer makes by accident.
   */
  public record Result(Verdict verdict, RRSIGRecord signature, boolean zoneHostile) {
    public Result(Verdict verdict, RRSIGRecord signature) {
      this(verdict, signature, false);
    }

    public boolean secure() {
      return verdict.isSecure();
    }
  }

  /**
   * Verifies {@code rrset} (with its RRSIGs attached) against {@code keys} of {@code zone} at
   * validation time {@code now}. Failure reasons do not repeat the RRset's name: the caller
   * puts that context in front.
   */
  public Result verify(RRset rrset, Name zone, List<DNSKEYRecord> keys, Instant now, WorkBudget budget) {
    Failure worst = null;
    int attempts = 0;
    boolean anySig = false;
    boolean oversizedKey = false;
    for (RRSIGRecord sig : cheapestFirst(rrset.sigs())) {
      if (!sig.getSigner().equals(zone) || sig.getTypeCovered() != rrset.getType()) {
        continue;
      }
      anySig = true;
      Failure f = checkHeader(sig, rrset, now);
      if (f != null) {
        worst = Failure.worse(worst, f);
        continue;
      }
      boolean keyFound = false;
      byte[] signedData = null; // built once per signature, when a key is worth trying
      for (DNSKEYRecord key : keys) {
        if (key.getFootprint() != sig.getFootprint() || key.getAlgorithm() != sig.getAlgorithm()) {
          continue;
        }
        if ((key.getFlags() & DNSKEYRecord.Flags.ZONE_KEY) == 0 || key.getProtocol() != DNSKEYRecord.Protocol.DNSSEC) {
          worst = Failure.worse(worst, new Failure(Ede.NO_ZONE_KEY_BIT, 3, "DNSKEY " + key.getFootprint() + " is not a zone key"));
          continue;
        }
        keyFound = true;
        String refusal = RsaKeyLimits.refusal(key);
        if (refusal != null) {
          worst = Failure.worse(worst, new Failure(Ede.DNSSEC_BOGUS, 5, "DNSKEY " + key.getFootprint() + " is unusable: " + refusal));
          oversizedKey = true;
          continue;
        }
        if (signedData == null) {
          try {
            signedData = DNSSEC.digestRRset(sig, rrset);
          } catch (RuntimeException e) {
            // what dnsjava could not lay out it could not have verified either: as it did before
            // the data was built here, this counts as a signature that does not verify
            worst = Failure.worse(worst, new Failure(Ede.DNSSEC_BOGUS, 5, "RRSIG by key " + sig.getFootprint()
                + " alg " + sig.getAlgorithm() + " does not verify (" + e.getClass().getSimpleName() + ")"));
            break;
          }
        }
        if (proven.contains(signedData, sig, key)) {
          provenBefore.increment();
          return new Result(Verdict.secure(), sig);
        }
        if (++attempts > MAX_ATTEMPTS_PER_RRSET) {
          return new Result(Verdict.bogus(Ede.DNSSEC_BOGUS, "too many signature/key pairs to try (KeyTrap defence)"), null, true);
        }
        budget.chargeSignature();
        try {
          Boolean verified = p256.verify(signedData, sig, key);
          if (verified == null) {
            if (!rsa.proves(signedData, sig, key)) {
              DNSSEC.verify(rrset, sig, key, clamp(now, sig));
            }
          } else if (!verified) {
            failed.increment();
            worst = Failure.worse(worst, doesNotVerify(sig, null));
            continue;
          }
          proven.add(signedData, sig, key);
          this.verified.increment();
          return new Result(Verdict.secure(), sig);
        } catch (DNSSEC.DNSSECException e) {
          failed.increment();
          worst = Failure.worse(worst, doesNotVerify(sig, e instanceof DNSSEC.SignatureVerificationException ? null : e));
        } catch (RuntimeException e) {
          failed.increment();
          // Malformed key material (bad curve point, short RSA modulus) surfaces as runtime errors.
          worst = Failure.worse(worst, new Failure(Ede.DNSSEC_BOGUS, 5,
              "DNSKEY " + key.getFootprint() + " is unusable: " + e.getClass().getSimpleName()));
        }
      }
      if (!keyFound) {
        worst = Failure.worse(worst, new Failure(Ede.DNSKEY_MISSING, 2,
            "no DNSKEY in " + zone + " with tag " + sig.getFootprint() + " alg " + sig.getAlgorithm()));
      }
    }
    if (!anySig) {
      return new Result(Verdict.bogus(Ede.RRSIGS_MISSING, "no RRSIG from zone " + zone), null);
    }
    return new Result(Verdict.bogus(worst.ede, worst.reason), null, oversizedKey);
  }

  /**
   * The signatures in order of verification cost, cheapest first, so that an RRset signed twice
   * (an algorithm rollover, a double-signed zone) is proven by the cheaper one. JMH under C1
   * ({@code SignatureVerify -p provider=BC}): RSA-2048 66 µs, ECDSA P-256 61, Ed25519 59-84, Ed448
   * 204-228, ECDSA P-384 410-434; RSA-4096 220-250 µs (a loop of exponentiations, e = 65537).
   */
  static List<RRSIGRecord> cheapestFirst(List<RRSIGRecord> sigs) {
    if (sigs.size() < 2) {
      return sigs;
    }
    List<RRSIGRecord> sorted = new ArrayList<>(sigs);
    sorted.sort(Comparator.comparingInt(SignatureVerifier::cost)); // stable: ties keep their order
    return sorted;
  }

  private static int cost(RRSIGRecord sig) {
    switch (sig.getAlgorithm()) {
      case DNSSEC.Algorithm.ECDSAP256SHA256:
      case DNSSEC.Algorithm.ED25519:
        return 1;
      case DNSSEC.Algorithm.RSAMD5:
      case DNSSEC.Algorithm.RSASHA1:
      case DNSSEC.Algorithm.RSA_NSEC3_SHA1:
      case DNSSEC.Algorithm.RSASHA256:
      case DNSSEC.Algorithm.RSASHA512:
        return sig.getSignature().length <= 256 ? 1 : 3; // a signature is as long as its modulus
      case DNSSEC.Algorithm.ED448:
        return 3;
      case DNSSEC.Algorithm.ECDSAP384SHA384:
        return 4;
      default:
        return 5;
    }
  }

  /** Signature checks so far that ended as {@code check}. */
  public long count(Check check) {
    switch (check) {
      case VERIFIED:
        return verified.sum();
      case PROVEN_BEFORE:
        return provenBefore.sum();
      default:
        return failed.sum();
    }
  }

  /** The failure of a signature whose crypto was tried; {@code error} says why it could not be, if so. */
  private static Failure doesNotVerify(RRSIGRecord sig, DNSSEC.DNSSECException error) {
    return new Failure(Ede.DNSSEC_BOGUS, 5, "RRSIG by key " + sig.getFootprint() + " alg " + sig.getAlgorithm()
        + " does not verify" + (error == null ? "" : " (" + error.getMessage() + ")"));
  }

  /** Checks what can be checked without crypto; null when the signature is worth verifying. */
  private Failure checkHeader(RRSIGRecord sig, RRset rrset, Instant now) {
    if (!algorithms.supportsAlgorithm(sig.getAlgorithm())) {
      return new Failure(Ede.UNSUPPORTED_DNSKEY_ALGORITHM, 1, "RRSIG algorithm " + sig.getAlgorithm() + " is not enabled");
    }
    int ownerLabels = labelCount(rrset.getName());
    if (sig.getLabels() > ownerLabels) {
      return new Failure(Ede.DNSSEC_BOGUS, 4, "RRSIG labels field " + sig.getLabels() + " exceeds the owner's " + ownerLabels);
    }
    Instant inception = sig.getTimeSigned();
    Instant expiration = sig.getExpire();
    if (now.minus(skew).isAfter(expiration)) {
      return new Failure(Ede.SIGNATURE_EXPIRED, 4, "RRSIG by key " + sig.getFootprint() + " expired at " + expiration);
    }
    if (now.plus(skew).isBefore(inception)) {
      return new Failure(Ede.SIGNATURE_NOT_YET_VALID, 4, "RRSIG by key " + sig.getFootprint() + " not valid before " + inception);
    }
    return null;
  }

  /** The time to hand dnsjava: inside the window once the skew allowance has been granted. */
  private static Instant clamp(Instant now, RRSIGRecord sig) {
    if (now.isBefore(sig.getTimeSigned())) {
      return sig.getTimeSigned();
    }
    if (now.isAfter(sig.getExpire())) {
      return sig.getExpire();
    }
    return now;
  }

  /** Labels as the RRSIG labels field counts them: no root label, no leading wildcard. */
  public static int labelCount(Name name) {
    int n = name.labels() - 1;
    return name.isWild() ? n - 1 : n;
  }

  /** One reason a signature did not prove the RRset; higher rank means more telling. */
  private record Failure(int ede, int rank, String reason) {
    static Failure worse(Failure a, Failure b) {
      return a == null || b.rank > a.rank ? b : a;
    }
  }
}
