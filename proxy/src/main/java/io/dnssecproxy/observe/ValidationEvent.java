package io.dnssecproxy.observe;

import java.time.Instant;
import java.util.List;

/** One validation failure or permissive pass-through, as the event log records it. */
public record ValidationEvent(
    Instant time,
    String client,
    String name,
    String type,
    String verdict,
    int ede,
    List<String> reasons,
    String mode,
    String namespace,
    String action) {}
