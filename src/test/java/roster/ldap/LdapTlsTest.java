package roster.ldap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.unboundid.ldap.sdk.ExtendedResult;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPConnectionOptions;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.SearchScope;
import com.unboundid.ldap.sdk.extensions.StartTLSExtendedRequest;
import com.unboundid.util.ssl.SSLUtil;
import com.unboundid.util.ssl.TrustStoreTrustManager;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import roster.TestServer;
import roster.config.ConfigError;
import roster.config.Settings;

/**
 * StartTLS and LDAPS with the certificate HTTPS serves (ROSTER_TLS_CERT/KEY): OpenLDAP's ldapsearch -ZZ and
 * ldaps://, checking the certificate against the test's own CA file, and the UnboundID SDK. The directory is loaded
 * through a plain server; a second server on the same database serves TLS.
 */
class LdapTlsTest {

    static TestServer plain;
    static TestServer secure;
    static Path cert;
    static int ldapPort;
    static int ldapsPort;

    @BeforeAll
    static void start() throws Exception {
        plain = LdapFixture.start();
        Path dir = Files.createTempDirectory("roster-ldap-tls");
        cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        writeSelfSigned(cert, key);
        secure = plain.alongside(s -> s.withLdapPort(0).withTls(cert, key).withLdaps(0));
        ldapPort = LdapFixture.port(secure);
        ldapsPort = LdapFixture.frontEnd(secure).ldapsPort();
    }

    @AfterAll
    static void stop() {
        if (secure != null) secure.close();
        plain.close();
    }

    static LdapClientToolsTest.Run tool(String... command) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().put("LDAPTLS_CACERT", cert.toString());
        pb.environment().put("LDAPTLS_REQCERT", "demand");
        Process p = pb.start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        byte[] err = p.getErrorStream().readAllBytes();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new LdapClientToolsTest.Run(p.exitValue(), new String(out), new String(err));
    }

    @Test
    void ldapsearchWithStartTlsWalksThePages() throws Exception {
        var r = tool("ldapsearch", "-x", "-ZZ", "-LLL", "-H", "ldap://127.0.0.1:" + ldapPort, "-D", LdapFixture.ALL_DN,
                "-w", LdapFixture.SECRET, "-b", LdapFixture.PEOPLE, "-E", "pr=7/noprompt", "(objectClass=inetOrgPerson)", "uid");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(LdapClientToolsTest.values(r.out(), "uid")).containsExactlyInAnyOrderElementsOf(LdapFixture.allUids());
    }

    @Test
    void ldapsearchOverLdaps() throws Exception {
        var r = tool("ldapsearch", "-x", "-LLL", "-H", "ldaps://127.0.0.1:" + ldapsPort, "-D", LdapFixture.ALL_DN,
                "-w", LdapFixture.SECRET, "-b", LdapFixture.PEOPLE, "(uid=zhangsan)", "uid", "mail");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(LdapClientToolsTest.values(r.out(), "uid")).containsExactly("zhangsan");
    }

    @Test
    void passwordCheckOverStartTlsAndLdaps() throws Exception {
        String user = "uid=zhangsan,ou=people,o=acme";
        var startTls = tool("ldapwhoami", "-x", "-ZZ", "-H", "ldap://127.0.0.1:" + ldapPort, "-D", user, "-w", "correct horse battery staple");
        assertThat(startTls.exit()).as(startTls.err()).isZero();
        assertThat(startTls.out().trim()).isEqualTo("dn:" + user);
        var ldaps = tool("ldapwhoami", "-x", "-H", "ldaps://127.0.0.1:" + ldapsPort, "-D", user, "-w", "wrong");
        assertThat(ldaps.exit()).isEqualTo(49); // invalidCredentials
    }

    @Test
    void aClientThatDoesNotTrustTheCertificateIsRefusedByItself() throws Exception {
        ProcessBuilder pb = new ProcessBuilder("ldapsearch", "-x", "-ZZ", "-H", "ldap://127.0.0.1:" + ldapPort, "-b", "", "-s", "base");
        pb.environment().put("LDAPTLS_REQCERT", "demand");
        pb.environment().put("LDAPTLS_CACERT", "/dev/null");
        Process p = pb.start();
        p.getOutputStream().close();
        p.getInputStream().readAllBytes();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isNotZero();
        // the server is unharmed: the next client is served
        assertThat(tool("ldapsearch", "-x", "-ZZ", "-LLL", "-H", "ldap://127.0.0.1:" + ldapPort, "-b", "", "-s", "base", "supportedLDAPVersion").exit()).isZero();
    }

    static SSLUtil trusting() throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        try (var in = Files.newInputStream(cert)) {
            store.setCertificateEntry("roster", java.security.cert.CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        Path file = Files.createTempFile("roster-trust", ".p12");
        try (var out = Files.newOutputStream(file)) {
            store.store(out, "changeit".toCharArray());
        }
        return new SSLUtil(new TrustStoreTrustManager(file.toFile(), "changeit".toCharArray(), "PKCS12", true));
    }

    @Test
    void unboundIdStartTlsThenBindAndSearch() throws Exception {
        try (LDAPConnection c = new LDAPConnection("127.0.0.1", ldapPort)) {
            assertThat(c.getRootDSE().getAttributeValues("supportedExtension")).contains("1.3.6.1.4.1.1466.20037");
            ExtendedResult started = c.processExtendedOperation(new StartTLSExtendedRequest(trusting().createSSLContext()));
            assertThat(started.getResultCode()).isEqualTo(ResultCode.SUCCESS);
            assertThat(c.getSSLSession()).isNotNull();
            c.bind(LdapFixture.ALL_DN, LdapFixture.SECRET);
            assertThat(c.search(LdapFixture.PEOPLE, SearchScope.ONE, "(uid=lisi)").getEntryCount()).isEqualTo(1);
            assertThat(c.search(LdapFixture.PEOPLE, SearchScope.ONE, "(uid=ada)").getEntryCount()).isEqualTo(1);
        }
    }

    @Test
    void unboundIdOverLdaps() throws Exception {
        try (LDAPConnection c = new LDAPConnection(trusting().createSSLSocketFactory(), "127.0.0.1", ldapsPort)) {
            c.bind("uid=zhangsan,ou=people,o=acme", "correct horse battery staple");
            assertThat(c.search("uid=zhangsan,ou=people,o=acme", SearchScope.BASE, "(objectClass=*)").getEntryCount()).isEqualTo(1);
        }
    }

    @Test
    void plainBindStillWorksOnTheLdapPort() throws Exception {
        try (LDAPConnection c = new LDAPConnection("127.0.0.1", ldapPort)) {
            c.bind(LdapFixture.ALL_DN, LdapFixture.SECRET);
            assertThat(c.search(LdapFixture.PEOPLE, SearchScope.ONE, "(uid=lisi)").getEntryCount()).isEqualTo(1);
        }
    }

    @Test
    void plainLdapOnTheLdapsPortIsClosedNotHung() throws Exception {
        LDAPConnectionOptions options = new LDAPConnectionOptions();
        options.setResponseTimeoutMillis(20_000);
        try (LDAPConnection c = new LDAPConnection(options, "127.0.0.1", ldapsPort)) {
            long start = System.nanoTime();
            assertThatThrownBy(() -> c.bind(LdapFixture.ALL_DN, LdapFixture.SECRET)).isInstanceOf(LDAPException.class)
                    .extracting(e -> ((LDAPException) e).getResultCode()).isNotEqualTo(ResultCode.TIMEOUT);
            assertThat(System.nanoTime() - start).isLessThan(TimeUnit.SECONDS.toNanos(15));
        }
        assertThat(tool("ldapsearch", "-x", "-LLL", "-H", "ldaps://127.0.0.1:" + ldapsPort, "-b", "", "-s", "base", "supportedLDAPVersion").exit()).isZero();
    }

    @Test
    void ldapsWithoutACertificateIsAConfigurationError() {
        assertThatThrownBy(() -> Settings.fromEnvironment(Map.of("ROSTER_LDAPS_PORT", "6360"))).isInstanceOf(ConfigError.class)
                .hasMessageContaining("ROSTER_LDAPS_PORT");
        assertThat(Settings.fromEnvironment(Map.of()).ldapsPort()).isNull();
        assertThat(Settings.fromEnvironment(Map.of()).ldapIdleTimeout()).isEqualTo(Duration.ofMinutes(15));
        assertThat(Settings.fromEnvironment(Map.of("ROSTER_LDAP_IDLE_TIMEOUT", "90s")).ldapIdleTimeout()).isEqualTo(Duration.ofSeconds(90));
        assertThatThrownBy(() -> Settings.fromEnvironment(Map.of("ROSTER_LDAP_IDLE_TIMEOUT", "soon"))).isInstanceOf(ConfigError.class)
                .extracting(e -> ((ConfigError) e).setting()).isEqualTo("ROSTER_LDAP_IDLE_TIMEOUT");
    }

    @Test
    void theReadyLinesNameBothPorts() {
        assertThat(LdapFrontEnd.class.cast(LdapFixture.frontEnd(secure)).listening().orElseThrow().lines().toList())
                .containsExactly("Roster LDAP listening on ldap://127.0.0.1:" + ldapPort, "Roster LDAPS listening on ldaps://127.0.0.1:" + ldapsPort);
    }

    /** A self-signed certificate for 127.0.0.1 and its key, as PEM files. */
    static void writeSelfSigned(Path cert, Path key) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(256);
        KeyPair pair = generator.generateKeyPair();
        X500Name name = new X500Name("CN=127.0.0.1");
        Instant now = Instant.now();
        var builder = new JcaX509v3CertificateBuilder(name, BigInteger.valueOf(now.toEpochMilli()), Date.from(now.minusSeconds(60)),
                Date.from(now.plus(Duration.ofDays(1))), name, pair.getPublic());
        builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName(GeneralName.iPAddress, "127.0.0.1")));
        X509Certificate certificate = new JcaX509CertificateConverter()
                .getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate())));
        Files.writeString(key, pem(new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(pair.getPrivate(), null)));
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
