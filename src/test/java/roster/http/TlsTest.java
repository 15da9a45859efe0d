package roster.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringWriter;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;
import roster.TestServer;

/**
 * ROSTER_TLS_CERT / ROSTER_TLS_KEY (PEM) serve HTTPS directly (identity providers refuse plain-HTTP SCIM), and a
 * renewed certificate written over the files is served to new connections without a restart.
 */
class TlsTest {

    @Test
    void servesHttpsAndReloadsARenewedCertificate() throws Exception {
        Path dir = Files.createTempDirectory("roster-tls");
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        write(cert, key, "CN=roster-first", "RSA");
        try (TestServer server = TestServer.start(s -> s.withTls(cert, key))) {
            String url = "https://127.0.0.1:" + server.server.port();
            assertThat(server.server.scheme()).isEqualTo("https");
            assertThat(presented(url + "/healthz")).isEqualTo("CN=roster-first");
            HttpResponse<String> admin = client(new AtomicReference<>()).send(HttpRequest.newBuilder(URI.create(url + "/admin/v1/tenants"))
                    .header("Authorization", "Bearer " + TestServer.ADMIN_TOKEN).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(admin.statusCode()).isEqualTo(200);

            // a renewal, with another key type: new connections get the new certificate
            write(cert, key, "CN=roster-renewed", "EC");
            long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            String now = presented(url + "/healthz");
            while (!now.equals("CN=roster-renewed") && System.nanoTime() < deadline) {
                Thread.sleep(250);
                now = presented(url + "/healthz");
            }
            assertThat(now).isEqualTo("CN=roster-renewed");

            // a key that is not the certificate's is not taken: the renewed pair stays in service
            Path otherKey = dir.resolve("other-key.pem");
            write(dir.resolve("other-cert.pem"), otherKey, "CN=other", "EC");
            Files.copy(otherKey, key, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            Thread.sleep(2 * Tls.CHECK_EVERY_MS + 500);
            assertThat(presented(url + "/healthz")).isEqualTo("CN=roster-renewed");
        }
    }

    /** The subject of the certificate the server presents on a new connection. */
    private static String presented(String url) throws Exception {
        AtomicReference<X509Certificate> seen = new AtomicReference<>();
        HttpResponse<String> r = client(seen).send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        return seen.get().getSubjectX500Principal().getName();
    }

    /** A client of its own (so a new connection) that trusts whatever it is shown and remembers it. */
    private static HttpClient client(AtomicReference<X509Certificate> seen) throws Exception {
        TrustManager remember = new X509TrustManager() {
            @Override public void checkClientTrusted(X509Certificate[] chain, String authType) {}
            @Override public void checkServerTrusted(X509Certificate[] chain, String authType) { seen.set(chain[0]); }
            @Override public X509Certificate[] getAcceptedIssuers() { return new X509Certificate[0]; }
        };
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, new TrustManager[] {remember}, null);
        return HttpClient.newBuilder().sslContext(ssl).connectTimeout(Duration.ofSeconds(10)).build();
    }

    /** A self-signed certificate and its key as PEM files; the key is written first, as a renewal would. */
    private static void write(Path cert, Path key, String subject, String algorithm) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
        generator.initialize(algorithm.equals("RSA") ? 2048 : 256);
        KeyPair pair = generator.generateKeyPair();
        X500Name name = new X500Name(subject);
        Instant now = Instant.now();
        var builder = new JcaX509v3CertificateBuilder(name, BigInteger.valueOf(now.toEpochMilli()), Date.from(now.minusSeconds(60)),
                Date.from(now.plus(Duration.ofDays(1))), name, pair.getPublic());
        builder.addExtension(org.bouncycastle.asn1.x509.Extension.subjectAlternativeName, false,
                new org.bouncycastle.asn1.x509.GeneralNames(new org.bouncycastle.asn1.x509.GeneralName(org.bouncycastle.asn1.x509.GeneralName.iPAddress, "127.0.0.1")));
        var signer = new JcaContentSignerBuilder(algorithm.equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA").build(pair.getPrivate());
        X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(builder.build(signer));
        // RSA as "RSA PRIVATE KEY" (OpenSSL's traditional form), EC as PKCS#8 "PRIVATE KEY" (what certbot writes)
        Files.writeString(key, pem(algorithm.equals("RSA") ? pair.getPrivate() : new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(pair.getPrivate(), null)));
        Files.writeString(cert, pem(certificate));
    }

    private static String pem(Object o) throws Exception {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(o);
        }
        return out.toString();
    }
}
