package io.dnssecproxy.loadtest;

/**
 * What a run was pointed at and how, printed above its results so a number never travels
 * without its conditions.
 */
public record RunInfo(String label, String server, String queryFile, int queries, QueryFlags flags,
    int threads, int sockets, String transport, double timeoutSeconds) {}
