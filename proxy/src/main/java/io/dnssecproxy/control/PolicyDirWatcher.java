package io.dnssecproxy.control;

import io.dnssecproxy.observe.ChangeLog;
import io.dnssecproxy.policy.PolicyFiles;
import io.dnssecproxy.policy.PolicyText;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.List;
import java.util.TreeMap;

/**
 * Keeps the live policy in step with the policy directory. It polls the file contents rather
 * than waiting for file events: Kubernetes updates a mounted ConfigMap by swapping a
 * {@code ..data} symlink, which inotify on the files does not report. Each file is applied when
 * its content changes; an invalid one is refused with one log line (once per distinct content)
 * and the setting in force stays.
 */
public final class PolicyDirWatcher {

  /** Stands for the directory itself in {@link #rejected()} when it cannot be read. */
  static final String DIRECTORY = ".";

  private final Path dir;
  private final LivePolicy policy;
  private final ChangeLog log;
  private final Map<String, String> rejected = new TreeMap<>();
  private PolicyFiles seen;
  private Vertx vertx;
  private long timer = -1;
  private boolean stopped;

  /** @param atStart the contents already applied at start-up */
  public PolicyDirWatcher(Path dir, PolicyFiles atStart, LivePolicy policy, ChangeLog log) {
    this.dir = dir;
    this.seen = atStart;
    this.policy = policy;
    this.log = log;
  }

  public Path dir() {
    return dir;
  }

  /** Polls every {@code period} on the caller's Vert.x context; the reading runs off the event loop. */
  public synchronized void start(Vertx vertx, Duration period) {
    this.vertx = vertx;
    schedule(period);
  }

  public synchronized void stop() {
    stopped = true;
    if (vertx != null && timer >= 0) {
      vertx.cancelTimer(timer);
    }
  }

  private synchronized void schedule(Duration period) {
    if (stopped) {
      return;
    }
    // One poll at a time: the next is armed only when this one is done.
    timer = vertx.setTimer(period.toMillis(), t -> vertx.executeBlocking(() -> PolicyFiles.read(dir))
        .onComplete(ar -> {
          if (ar.succeeded()) {
            apply(ar.result());
          } else {
            unreadable(ar.cause());
          }
          schedule(period);
        }));
  }

  /** Reads the directory now and applies what changed; for tests and for a poll. */
  public void check() {
    try {
      apply(PolicyFiles.read(dir));
    } catch (IOException e) {
      unreadable(e);
    }
  }

  /** Applies every file whose content differs from what was seen last. */
  public synchronized void apply(PolicyFiles now) {
    accept(DIRECTORY, null);
    if (!Objects.equals(now.mode(), seen.mode())) {
      use(PolicyFiles.MODE, () -> policy.applyPolicyMode(now.mode().flatMap(PolicyText::mode)));
    }
    if (!Objects.equals(now.insecureDomains(), seen.insecureDomains())) {
      use(PolicyFiles.INSECURE_DOMAINS,
          () -> policy.applyPolicyDomains(now.insecureDomains().map(PolicyText::insecureDomains).orElse(List.of())));
    }
    seen = now;
  }

  /** Parses and applies one file; a parse error leaves the setting in force and is recorded. */
  private void use(String file, Runnable parseAndApply) {
    try {
      parseAndApply.run();
      accept(file, null);
    } catch (IllegalArgumentException e) {
      accept(file, e.getMessage());
    }
  }

  private synchronized void unreadable(Throwable cause) {
    accept(DIRECTORY, cause.getMessage() == null ? cause.toString() : cause.getMessage());
  }

  /** Records a file's state; logs a refusal only when it is new, so a bad file costs one line, not one per poll. */
  private void accept(String file, String error) {
    if (error == null) {
      rejected.remove(file);
    } else if (!error.equals(rejected.put(file, error))) {
      log.policyRejected(DIRECTORY.equals(file) ? dir.toString() : dir.resolve(file).toString(), error);
    }
  }

  /** Files (or "." for the directory) currently refused, with why. */
  public synchronized Map<String, String> rejected() {
    return new TreeMap<>(rejected);
  }
}
