package io.dnssecproxy.inject;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.PemKeyCertOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The webhook's PEM certificate chain and key, as files (a mounted kubernetes.io/tls Secret).
 * Read by content, not by path, so that a renewed certificate under the same path is a
 * different set of options to Vert.x.
 */
public record TlsFiles(Path cert, Path key) {

  /** One reading of both files. */
  public record Contents(byte[] cert, byte[] key) {
    public PemKeyCertOptions options() {
      return new PemKeyCertOptions().setCertValue(Buffer.buffer(cert)).setKeyValue(Buffer.buffer(key));
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Contents c && Arrays.equals(cert, c.cert) && Arrays.equals(key, c.key);
    }

    @Override
    public int hashCode() {
      return 31 * Arrays.hashCode(cert) + Arrays.hashCode(key);
    }
  }

  public Contents read() throws IOException {
    return new Contents(Files.readAllBytes(cert), Files.readAllBytes(key));
  }
}
