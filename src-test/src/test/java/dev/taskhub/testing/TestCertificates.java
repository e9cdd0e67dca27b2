package dev.taskhub.testing;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A certificate authority made for one test, with the JDK's own keytool (nothing to install, no private key in the
 * repository): it issues certificates for 127.0.0.1 and localhost, good for a server and a client, written as the
 * PEM files Taskhub's {@code *.tls.*} keys name.
 */
public final class TestCertificates {
  private static final String PASSWORD = "test-only";

  private final Path dir;
  private final String name;
  private final Path caStore;
  private final Path caPem;

  /** A certificate and its private key (PKCS#8), as PEM files. */
  public record Issued(Path cert, Path key) {
  }

  private TestCertificates(Path dir, String name) {
    this.dir = dir;
    this.name = name;
    this.caStore = dir.resolve(name + "-ca.p12");
    this.caPem = dir.resolve(name + "-ca.pem");
  }

  public static TestCertificates authority(Path dir, String name) throws Exception {
    TestCertificates ca = new TestCertificates(Files.createDirectories(dir), name);
    ca.keytool("-genkeypair", "-alias", "ca", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=" + name + " test CA",
        "-ext", "bc:c", "-validity", "2", "-keystore", ca.caStore.toString());
    ca.keytool("-exportcert", "-rfc", "-alias", "ca", "-keystore", ca.caStore.toString(), "-file", ca.caPem.toString());
    return ca;
  }

  /** The CA's certificate, PEM: the trust anchor ({@code cluster.tls.caFile}, a client's CA file). */
  public Path caFile() {
    return caPem;
  }

  public Issued issue(String commonName) throws Exception {
    Path store = dir.resolve(name + "-" + commonName + ".p12");
    Path csr = dir.resolve(name + "-" + commonName + ".csr");
    Path cert = dir.resolve(name + "-" + commonName + ".pem");
    Path key = dir.resolve(name + "-" + commonName + ".key");
    keytool("-genkeypair", "-alias", "node", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=" + commonName,
        "-validity", "2", "-keystore", store.toString());
    keytool("-certreq", "-alias", "node", "-keystore", store.toString(), "-file", csr.toString());
    keytool("-gencert", "-alias", "ca", "-keystore", caStore.toString(), "-infile", csr.toString(), "-outfile", cert.toString(),
        "-rfc", "-validity", "2", "-ext", "san=ip:127.0.0.1,dns:localhost", "-ext", "eku=serverAuth,clientAuth");
    KeyStore keys = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(store)) {
      keys.load(in, PASSWORD.toCharArray());
    }
    PrivateKey privateKey = (PrivateKey) keys.getKey("node", PASSWORD.toCharArray());
    Files.writeString(key, "-----BEGIN PRIVATE KEY-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(privateKey.getEncoded()) + "\n-----END PRIVATE KEY-----\n");
    return new Issued(cert, key);
  }

  /** A client's TLS context that trusts this CA only. */
  public SSLContext clientContext() throws Exception {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    try (InputStream in = Files.newInputStream(caPem)) {
      trust.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
    }
    TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init(trust);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, factory.getTrustManagers(), null);
    return context;
  }

  private void keytool(String... arguments) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString()));
    command.addAll(List.of(arguments));
    command.addAll(List.of("-storetype", "PKCS12", "-storepass", PASSWORD, "-keypass", PASSWORD, "-noprompt"));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException("keytool " + arguments[0] + " failed: " + out);
    }
  }
}
