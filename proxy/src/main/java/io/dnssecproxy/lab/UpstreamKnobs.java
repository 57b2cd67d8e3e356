package io.dnssecproxy.lab;

import io.dnssecproxy.upstream.Question;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.xbill.DNS.Message;

/**
 * Per-question misbehaviour of the fake upstream. Thread-safe: tests change knobs while the
 * server's event loop reads them.
 */
final class UpstreamKnobs {

  private final Map<Question, Function<Message, Message>> overrides = new ConcurrentHashMap<>();
  private final Map<Question, Duration> delays = new ConcurrentHashMap<>();
  private final Set<Question> dropped = ConcurrentHashMap.newKeySet();
  private final Set<Question> servfail = ConcurrentHashMap.newKeySet();
  private final Map<Question, List<Spoof>> spoofs = new ConcurrentHashMap<>();
  private volatile boolean servfailAll;
  private volatile boolean dropAll;
  private volatile Duration delayAll = Duration.ZERO;
  private volatile Duration spoofLead = Duration.ofMillis(50);

  void override(Question q, Function<Message, Message> responder) {
    overrides.put(q, responder);
  }

  Function<Message, Message> override(Question q) {
    return overrides.get(q);
  }

  void delay(Question q, Duration d) {
    delays.put(q, d);
  }

  void delayAll(Duration d) {
    delayAll = d;
  }

  /** The per-question delay if set, else the global one. */
  Duration delay(Question q) {
    return delays.getOrDefault(q, delayAll);
  }

  void drop(Question q) {
    dropped.add(q);
  }

  void dropAll(boolean on) {
    dropAll = on;
  }

  boolean dropped(Question q) {
    return dropAll || dropped.contains(q);
  }

  void servfail(Question q) {
    servfail.add(q);
  }

  void servfailAll(boolean on) {
    servfailAll = on;
  }

  boolean failing(Question q) {
    return servfailAll || servfail.contains(q);
  }

  void spoof(Question q, List<Spoof> kinds) {
    spoofs.put(q, List.copyOf(kinds));
  }

  List<Spoof> spoofs(Question q) {
    return spoofs.getOrDefault(q, List.of());
  }

  void spoofLead(Duration lead) {
    spoofLead = lead;
  }

  Duration spoofLead() {
    return spoofLead;
  }

  void reset() {
    overrides.clear();
    delays.clear();
    dropped.clear();
    servfail.clear();
    spoofs.clear();
    servfailAll = false;
    dropAll = false;
    delayAll = Duration.ZERO;
    spoofLead = Duration.ofMillis(50);
  }
}
