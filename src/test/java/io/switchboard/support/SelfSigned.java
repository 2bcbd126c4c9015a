package io.switchboard.support;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A self-signed certificate for 127.0.0.1/localhost, made with the JDK's own keytool (no openssl
 * or Bouncy Castle needed) and written as the PEM files the node reads.
 */
public record SelfSigned(Path certPath, Path keyPath) {

  private static final char[] PASSWORD = "changeit".toCharArray();

  public static SelfSigned create(Path dir, String name) {
    try {
      Path store = dir.resolve(name + ".p12");
      Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
      Process p = new ProcessBuilder(List.of(keytool.toString(), "-genkeypair", "-alias", name,
          "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2", "-dname", "CN=" + name,
          "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-storetype", "PKCS12", "-keystore", store.toString(),
          "-storepass", new String(PASSWORD), "-keypass", new String(PASSWORD)))
          .redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        p.destroyForcibly();
        throw new IllegalStateException("keytool failed: " + out);
      }
      KeyStore ks = KeyStore.getInstance("PKCS12");
      try (InputStream in = Files.newInputStream(store)) {
        ks.load(in, PASSWORD);
      }
      Certificate cert = ks.getCertificate(name);
      PrivateKey key = (PrivateKey) ks.getKey(name, PASSWORD);
      SelfSigned files = new SelfSigned(dir.resolve(name + "-cert.pem"), dir.resolve(name + "-key.pem"));
      Files.writeString(files.certPath, pem("CERTIFICATE", cert.getEncoded()), StandardCharsets.US_ASCII);
      // PKCS#8, what getEncoded() gives for a private key
      Files.writeString(files.keyPath, pem("PRIVATE KEY", key.getEncoded()), StandardCharsets.US_ASCII);
      return files;
    } catch (IOException | java.security.GeneralSecurityException e) {
      throw new IllegalStateException("cannot make a self-signed certificate", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public String cert() {
    return certPath.toString();
  }

  public String key() {
    return keyPath.toString();
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
        + "\n-----END " + type + "-----\n";
  }
}
