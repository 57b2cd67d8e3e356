package io.dnssecproxy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;
import picocli.CommandLine;

/** The lab starts a world and a proxy that behave as its printed instructions promise. */
class LabCommandTest {

  private static Message ask(InetSocketAddress at, String name) throws Exception {
    SimpleResolver r = new SimpleResolver(at);
    r.setTimeout(Duration.ofSeconds(5));
    r.setEDNS(0, 1232, ExtendedFlags.DO, java.util.List.of());
    return r.send(Message.newQuery(Record.newRecord(Name.fromString(name), Type.A, DClass.IN)));
  }

  @Test
  void theLabAnswersSecureNamesWithAdAndBogusNamesWithServfail() throws Exception {
    LabCommand lab = new LabCommand();
    new CommandLine(lab).parseArgs("--listen", "127.0.0.1:0", "--admin-listen", "off");
    try (LabCommand.Running running = lab.start()) {
      InetSocketAddress at = running.proxyAddress();
      Message secure = ask(at, "www.secure.test.");
      assertEquals(Rcode.NOERROR, secure.getRcode());
      assertTrue(secure.getHeader().getFlag(Flags.AD));
      assertEquals(Rcode.SERVFAIL, ask(at, "www.badsig.test.").getRcode());
      Message insecure = ask(at, "www.insecure.test.");
      assertEquals(Rcode.NOERROR, insecure.getRcode());
      assertFalse(insecure.getHeader().getFlag(Flags.AD));
      String text = LabCommand.instructions(at, running.upstream().port(), running.trustAnchorFile(), "enforce");
      assertTrue(text.contains("dig @127.0.0.1 -p " + at.getPort() + " +dnssec www.secure.test"), text);
      assertTrue(text.contains("--upstream 127.0.0.1:" + running.upstream().port()), text);
    }
  }

  @Test
  void theHostileWorldServesTheControlSecurelyAndRefusesTheKeyTrapZone() throws Exception {
    LabCommand lab = new LabCommand();
    new CommandLine(lab).parseArgs("--listen", "127.0.0.1:0", "--admin-listen", "off", "--world", "hostile");
    try (LabCommand.Running running = lab.start()) {
      InetSocketAddress at = running.proxyAddress();
      Message good = ask(at, "www.good.hostile.");
      assertEquals(Rcode.NOERROR, good.getRcode());
      assertTrue(good.getHeader().getFlag(Flags.AD));
      assertEquals(Rcode.SERVFAIL, ask(at, "x1.wild.keytrap.hostile.").getRcode());
    }
  }

  @Test
  void anUnknownWorldIsRefusedByName() {
    LabCommand lab = new LabCommand();
    CommandLine cli = new CommandLine(lab);
    cli.parseArgs("--world", "nosuch");
    CommandLine.ParameterException e = org.junit.jupiter.api.Assertions.assertThrows(CommandLine.ParameterException.class, lab::start);
    assertTrue(e.getMessage().contains("lab or hostile"), e.getMessage());
  }
}
