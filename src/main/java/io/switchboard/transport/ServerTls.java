package io.switchboard.transport;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.vertx.core.Vertx;
import io.vertx.core.net.PemKeyCertOptions;

import javax.net.ssl.KeyManagerFactory;

/** The front door's TLS context, from a PEM certificate chain and key. */
public final class ServerTls {

  private ServerTls() {
  }

  /**
   * Reads the files, so call it off the event loop. The key goes through Vert.x's PEM reader, which
   * takes PKCS#8 as well as the PKCS#1 RSA and SEC1 EC keys that openssl writes by default (Netty's
   * own reader takes only PKCS#8 without Bouncy Castle).
   */
  public static SslContext load(Vertx vertx, String certPath, String keyPath) throws Exception {
    KeyManagerFactory keys = new PemKeyCertOptions().setCertPath(certPath).setKeyPath(keyPath).getKeyManagerFactory(vertx);
    return SslContextBuilder.forServer(keys)
        .sslProvider(SslProvider.JDK)
        .protocols("TLSv1.3", "TLSv1.2")
        .build();
  }
}
