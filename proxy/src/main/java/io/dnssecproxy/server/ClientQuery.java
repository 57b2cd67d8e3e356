package io.dnssecproxy.server;

import java.net.InetSocketAddress;
import org.xbill.DNS.Message;

/** One parsed query from an app, with where it came from and over which transport. */
public record ClientQuery(Message message, Transport transport, InetSocketAddress client) {}
