package io.dnssecproxy.lab;

import io.dnssecproxy.upstream.Question;

/**
 * One query as the fake upstream received it, for coalescing and flag assertions.
 *
 * @param question the question asked
 * @param tcp whether it came over TCP
 * @param id the DNS message ID
 * @param dnssecOk the EDNS DO bit
 * @param checkingDisabled the CD header bit
 * @param ednsPayload the advertised EDNS payload size, or 0 without EDNS
 */
public record ReceivedQuery(
    Question question, boolean tcp, int id, boolean dnssecOk, boolean checkingDisabled,
    int ednsPayload) {}
