package io.dnssecproxy.validation;

import java.time.Instant;
import org.xbill.DNS.Message;

/**
 * The result of validating one upstream response.
 *
 * @param verdict what was concluded
 * @param response the response to answer from: for a secure verdict, the authority and
 *     additional sections hold only what was verified; otherwise the response as received
 * @param signaturesExpire earliest expiry of the signatures relied on (null when none), which
 *     bounds how long the answer may be cached
 */
public record Validation(Verdict verdict, Message response, Instant signaturesExpire) {}
