package io.dnssecproxy.conformance;

/**
 * A canned answer as the replay upstream sees it: the entry, the RANGE (server and step
 * window) it belongs to, what zones that server seems to serve, and its position in the file.
 */
record ReplaySource(RplEntry entry, RplRange range, ServerZones zones, int order) {}
