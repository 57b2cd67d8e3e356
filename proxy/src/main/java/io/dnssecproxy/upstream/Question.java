package io.dnssecproxy.upstream;

import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.Type;

/** A DNS question with the name in canonical (lower-case) form, usable as a map key. */
public record Question(Name name, int type, int dclass) {

  public Question {
    name = name.canonicalize();
  }

  public static Question of(Name name, int type) {
    return new Question(name, type, DClass.IN);
  }

  @Override
  public String toString() {
    return name + " " + Type.string(type) + (dclass == DClass.IN ? "" : " " + DClass.string(dclass));
  }
}
