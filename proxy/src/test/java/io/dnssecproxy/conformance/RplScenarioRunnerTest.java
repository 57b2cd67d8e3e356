package io.dnssecproxy.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;

/**
 * The harness end to end on a scenario signed at test time: the reference forwarder passes
 * it, and a forwarder that does not validate is caught (no AD, forged data let through).
 */
class RplScenarioRunnerTest {

  private static Vertx vertx;

  @BeforeAll
  static void startVertx() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stopVertx() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void referenceForwarderPasses() throws Exception {
    RplScenario scenario = RplParser.parse("generated.rpl", GeneratedScenario.text());
    ScenarioResult result = new RplScenarioRunner(vertx, new ReferenceForwarder()).run(scenario);
    assertEquals(ScenarioResult.Status.PASS, result.status(), result.detail());
  }

  @Test
  void nonValidatingForwarderIsCaught() throws Exception {
    RplScenario scenario = RplParser.parse("generated.rpl", GeneratedScenario.text());
    ScenarioResult result = new RplScenarioRunner(vertx, new PassThroughForwarder()).run(scenario);
    assertEquals(ScenarioResult.Status.FAIL, result.status());
    assertTrue(result.detail().contains("step 2 (www.example. A): AD: expected set, got clear"),
        result.detail());
    assertTrue(result.detail().contains(
        "step 4 (bad.example. A): rcode: expected SERVFAIL, got NOERROR"), result.detail());
  }

  /** Relays queries upstream without validating: what the harness must not let pass. */
  private static final class PassThroughForwarder implements ValidatingForwarderUnderTest {
    @Override
    public Future<Endpoint> start(Vertx vertx, ForwarderOptions options) {
      return DnsUdpTcpServer.start(vertx, (query, tcp) -> vertx.executeBlocking(() -> {
        org.xbill.DNS.SimpleResolver upstream = new org.xbill.DNS.SimpleResolver(
            options.upstream());
        upstream.setTimeout(Duration.ofSeconds(3));
        Message relayed = query.clone();
        relayed.getHeader().setFlag(Flags.CD);
        Message answer = upstream.send(relayed);
        answer.getHeader().setID(query.getHeader().getID());
        answer.getHeader().unsetFlag(Flags.CD);
        return answer;
      }, false)).map(server -> new Endpoint() {
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
  }
}
