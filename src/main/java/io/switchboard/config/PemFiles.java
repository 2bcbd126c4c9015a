package io.switchboard.config;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A certificate chain and its private key in PEM files, plus, for mutual TLS, the PEM certificates
 * to trust. The files are read when the node starts; here they are only checked to exist, so that
 * a wrong path stops the process naming its key.
 *
 * @param trustPath null when nothing is to be trusted (a server that asks no client certificate)
 */
public record PemFiles(String certPath, String keyPath, String trustPath) {

  /** Null when neither file is set; fails when only one of them is, or one is not readable. */
  static PemFiles read(ConfigReader r, Setting cert, Setting key, Setting trust) {
    String certPath = blankToNull(r.string(cert, null));
    String keyPath = blankToNull(r.string(key, null));
    String trustPath = trust == null ? null : blankToNull(r.string(trust, null));
    if (certPath == null && keyPath == null) {
      if (trustPath != null) {
        throw r.fail(trust, "needs " + cert.key() + " and " + key.key() + " as well");
      }
      return null;
    }
    if (certPath == null || keyPath == null) {
      Setting missing = certPath == null ? cert : key;
      throw r.fail(missing, "must be set together with " + (certPath == null ? key : cert).key());
    }
    readable(r, cert, certPath);
    readable(r, key, keyPath);
    if (trust != null) {
      if (trustPath == null) {
        throw r.fail(trust, "required with " + cert.key() + ": the certificates (or CA) the other nodes present");
      }
      readable(r, trust, trustPath);
    }
    return new PemFiles(certPath, keyPath, trustPath);
  }

  private static void readable(ConfigReader r, Setting s, String path) {
    if (!Files.isReadable(Path.of(path))) {
      throw r.fail(s, "is not a readable file: " + path);
    }
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }
}
