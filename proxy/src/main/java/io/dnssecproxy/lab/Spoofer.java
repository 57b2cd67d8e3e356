package io.dnssecproxy.lab;

import java.net.InetAddress;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Address;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;

/** Builds forged copies of a genuine response, as an off-path attacker racing it would. */
public final class Spoofer {

  /** The IPv4 address forged A records point to. */
  public static final String SPOOFED_V4 = "203.0.113.66";

  /** The IPv6 address forged AAAA records point to. */
  public static final String SPOOFED_V6 = "2001:db8:bad::66";

  private static final Name SPOOFED_NAME = Name.fromConstantString("spoofed.invalid.");

  private Spoofer() {}

  public static Message forge(Message genuine, Spoof kind) {
    switch (kind) {
      case WRONG_ID:
        Message wrongId = genuine.clone();
        wrongId.getHeader().setID((genuine.getHeader().getID() + 1) & 0xFFFF);
        return wrongId;
      case WRONG_QUESTION:
        Message wrongQuestion = genuine.clone();
        Record q = genuine.getQuestion();
        wrongQuestion.removeAllRecords(Section.QUESTION);
        wrongQuestion.addRecord(Record.newRecord(SPOOFED_NAME, q.getType(), q.getDClass()),
            Section.QUESTION);
        return wrongQuestion;
      case UNSIGNED:
        return rewrite(genuine, false);
      case BAD_SIGNATURE:
        return rewrite(genuine, true);
      default:
        throw new IllegalArgumentException(kind.toString());
    }
  }

  /**
   * Copies the response with addresses replaced by the attacker's. Signatures are dropped, or
   * kept (now covering different data); when nothing was replaced, kept signatures get a bit
   * flipped so they still fail.
   */
  private static Message rewrite(Message genuine, boolean keepSignatures) {
    Message forged = genuine.clone();
    forged.removeAllRecords(Section.ANSWER);
    forged.removeAllRecords(Section.AUTHORITY);
    boolean replaced = false;
    for (Record r : genuine.getSection(Section.ANSWER)) {
      Record replacement = replaceAddress(r);
      replaced |= replacement != r;
      if (!(r instanceof RRSIGRecord)) {
        forged.addRecord(replacement, Section.ANSWER);
      }
    }
    if (keepSignatures) {
      for (int section : new int[] {Section.ANSWER, Section.AUTHORITY}) {
        for (Record r : genuine.getSection(section)) {
          if (r instanceof RRSIGRecord sig) {
            forged.addRecord(replaced ? sig : flipped(sig), section);
          } else if (section == Section.AUTHORITY) {
            forged.addRecord(r, section);
          }
        }
      }
    } else {
      for (Record r : genuine.getSection(Section.AUTHORITY)) {
        if (!(r instanceof RRSIGRecord)) {
          forged.addRecord(r, Section.AUTHORITY);
        }
      }
    }
    return forged;
  }

  private static Record replaceAddress(Record r) {
    try {
      if (r instanceof ARecord) {
        InetAddress bad = Address.getByAddress(SPOOFED_V4);
        return new ARecord(r.getName(), r.getDClass(), r.getTTL(), bad);
      }
      if (r instanceof AAAARecord) {
        InetAddress bad = Address.getByAddress(SPOOFED_V6);
        return new AAAARecord(r.getName(), r.getDClass(), r.getTTL(), bad);
      }
      return r;
    } catch (java.net.UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }

  private static RRSIGRecord flipped(RRSIGRecord s) {
    byte[] signature = s.getSignature();
    signature[0] ^= 0x01;
    return new RRSIGRecord(s.getName(), s.getDClass(), s.getTTL(), s.getTypeCovered(),
        s.getAlgorithm(), s.getOrigTTL(), s.getExpire(), s.getTimeSigned(), s.getFootprint(),
        s.getSigner(), signature);
  }
}
