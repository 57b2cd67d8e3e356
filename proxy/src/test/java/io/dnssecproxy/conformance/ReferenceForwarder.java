package io.dnssecproxy.conformance;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.Properties;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;
import org.xbill.DNS.dnssec.ValidatingResolver;

/**
 * A test-only validating forwarder built on dnsjava's {@link ValidatingResolver}: the yardstick
 * the harness itself is checked against. Each client query is re-asked upstream (through a
 * {@link SimpleResolver}; the validating resolver adds DO and CD), validated at the scenario's
 * time, and answered with AD for secure data or SERVFAIL for bogus data.
 *
 * <p>Client-facing rules, as a forwarder should apply them: AD only when the client set DO or
 * AD (RFC 6840 section 5.8); with CD the data is passed on unvalidated; DNSSEC records are
 * left out for clients without DO (RFC 3225).
 */
final class ReferenceForwarder implements ValidatingForwarderUnderTest {

  /** dnsjava's property prefixes (see ValUtils / NSEC3ValUtils in dnsjava 3.6). */
  private static final String ALGORITHM_ENABLED = "dnsjava.dnssec.algorithm.";
  private static final String RSA_MIN_KEY_SIZE = "dnsjava.dnssec.algorithm_rsa_min_key_size";
  private static final String HARDEN_DOWNGRADE = "dnsjava.dnssec.harden_algo_downgrade";
  private static final String DIGEST_PREFERENCE = "dnsjava.dnssec.digest_preference";
  private static final String NSEC3_ITERATIONS = "dnsjava.dnssec.nsec3.iterations.";

  private static final Duration UPSTREAM_TIMEOUT = Duration.ofSeconds(3);

  @Override
  public Future<Endpoint> start(Vertx vertx, ForwarderOptions options) {
    ValidatingResolver resolver;
    try {
      resolver = newResolver(options);
    } catch (IOException | RuntimeException e) {
      return Future.failedFuture(e);
    }
    // ValidatingResolver.send blocks on upstream round trips: keep it off the event loop.
    return DnsUdpTcpServer.start(vertx, (query, tcp) ->
            vertx.executeBlocking(() -> answer(resolver, query), false))
        .map(server -> new Endpoint() {
          @Override
          public InetSocketAddress address() {
            return server.address();
          }

          @Override
          public Future<Void> close() {
            return server.close();
          }
        });
  }

  private static ValidatingResolver newResolver(ForwarderOptions options) throws IOException {
    SimpleResolver upstream = new SimpleResolver(options.upstream());
    upstream.setTimeout(UPSTREAM_TIMEOUT);
    Clock clock = options.validationTime() == null
        ? Clock.systemUTC() : Clock.fixed(options.validationTime(), ZoneOffset.UTC);
    ValidatingResolver resolver = new ValidatingResolver(upstream, clock);
    resolver.init(properties(options));
    try (InputStream anchors = Files.newInputStream(options.trustAnchorFile())) {
      resolver.loadTrustAnchors(anchors);
    }
    // Its bogus-reason TXT record (class 65280) would be an extra, odd record for clients.
    resolver.setAddReasonToAdditional(false);
    resolver.setTimeout(UPSTREAM_TIMEOUT.multipliedBy(2));
    return resolver;
  }

  private static Properties properties(ForwarderOptions options) {
    Properties p = new Properties();
    for (int algorithm : options.extraAlgorithms()) {
      p.setProperty(ALGORITHM_ENABLED + algorithm, "true");
    }
    options.minRsaKeyBits().ifPresent(bits -> p.setProperty(RSA_MIN_KEY_SIZE,
        Integer.toString(bits)));
    p.setProperty(HARDEN_DOWNGRADE, Boolean.toString(options.hardenAlgoDowngrade()));
    String digests = options.scenarioOption("val-digest-preference");
    if (digests != null) {
      p.setProperty(DIGEST_PREFERENCE, digests.replace(" ", ""));
    }
    String iterations = options.scenarioOption("val-nsec3-keysize-iterations");
    if (iterations != null) {
      // "keysize iterations keysize iterations ..." pairs.
      String[] pairs = iterations.trim().split("\\s+");
      for (int i = 0; i + 1 < pairs.length; i += 2) {
        p.setProperty(NSEC3_ITERATIONS + pairs[i], pairs[i + 1]);
      }
    }
    return p;
  }

  private static Message answer(ValidatingResolver resolver, Message clientQuery) {
    Message response = DnsWire.responseSkeleton(clientQuery);
    response.getHeader().setFlag(Flags.RA);
    Record question = clientQuery.getQuestion();
    if (question == null) {
      response.getHeader().setRcode(Rcode.FORMERR);
      return response;
    }
    // A fresh query: only the question and RD/CD travel upstream, never the client's EDNS
    // (the validating resolver adds its own with DO).
    Message upstreamQuery = Message.newQuery(question);
    if (!clientQuery.getHeader().getFlag(Flags.RD)) {
      upstreamQuery.getHeader().unsetFlag(Flags.RD);
    }
    boolean checkingDisabled = clientQuery.getHeader().getFlag(Flags.CD);
    if (checkingDisabled) {
      upstreamQuery.getHeader().setFlag(Flags.CD);
    }
    Message validated;
    try {
      validated = resolver.send(upstreamQuery);
    } catch (IOException | RuntimeException e) {
      response.getHeader().setRcode(Rcode.SERVFAIL);
      return response;
    }
    response.getHeader().setRcode(validated.getRcode());
    boolean wantsAd = DnsWire.hasDo(clientQuery) || clientQuery.getHeader().getFlag(Flags.AD);
    if (!checkingDisabled && wantsAd && validated.getHeader().getFlag(Flags.AD)) {
      response.getHeader().setFlag(Flags.AD);
    }
    boolean dnssec = DnsWire.hasDo(clientQuery);
    for (int section : new int[] {Section.ANSWER, Section.AUTHORITY, Section.ADDITIONAL}) {
      for (Record r : validated.getSection(section)) {
        if (r.getType() == Type.OPT) {
          continue;
        }
        boolean dnssecType = r.getType() == Type.RRSIG || r.getType() == Type.NSEC
            || r.getType() == Type.NSEC3;
        if (!dnssec && dnssecType && r.getType() != question.getType()) {
          continue;
        }
        response.addRecord(r, section);
      }
    }
    return response;
  }
}
