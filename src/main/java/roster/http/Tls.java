package roster.http;

import java.io.IOException;
import java.io.Reader;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * HTTPS from a PEM certificate chain and private key (what certbot and most CAs hand out), reloaded when either
 * file changes: a renewed certificate is served to new connections without a restart. A pair that does not load
 * (half-written during a renewal, a key that is not the certificate's) keeps the previous one in service.
 * Listeners of their own (LDAPS, StartTLS) secure their accepted sockets with {@link #secure}.
 */
public final class Tls implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Tls.class);
    private static final char[] PASSWORD = "roster".toCharArray(); // of the in-memory key store only
    static final long CHECK_EVERY_MS = 1_000;

    final SslContextFactory.Server factory = new SslContextFactory.Server();
    private final Path cert;
    private final Path key;
    private final ScheduledExecutorService watcher = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "roster-tls-reload");
        t.setDaemon(true);
        return t;
    });
    private String loadedVersion;

    public Tls(Path cert, Path key) {
        this.cert = cert;
        this.key = key;
        loadedVersion = version();
        factory.setKeyStore(keyStore(cert, key));
        factory.setKeyStorePassword(new String(PASSWORD));
        watcher.scheduleWithFixedDelay(this::reloadIfChanged, CHECK_EVERY_MS, CHECK_EVERY_MS, TimeUnit.MILLISECONDS);
    }

    private void reloadIfChanged() {
        String now = version();
        if (now.equals(loadedVersion)) return;
        try {
            KeyStore store = keyStore(cert, key);
            factory.reload(f -> f.setKeyStore(store));
            loadedVersion = now;
            log.info("TLS certificate reloaded from {}", cert);
        } catch (Exception e) {
            log.warn("TLS certificate or key changed but does not load ({}); the previous one stays in service", e.getMessage());
        }
    }

    /**
     * The server side of TLS over an accepted socket, with the certificate in service now and the protocols and
     * ciphers HTTPS allows. The handshake happens on the first read, on the connection's own thread.
     */
    public SSLSocket secure(Socket plain) throws IOException {
        SSLContext context;
        synchronized (this) {
            // Jetty starts the factory of the HTTPS connector; a listener of its own is started here, once
            if (!factory.isStarted()) {
                try {
                    factory.start();
                } catch (Exception e) {
                    throw new IOException("TLS cannot start: " + e.getMessage(), e);
                }
            }
            context = factory.getSslContext();
        }
        SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(plain, null, plain.getPort(), true);
        socket.setUseClientMode(false);
        socket.setSSLParameters(factory.customize(socket.getSSLParameters()));
        return socket;
    }

    /** What identifies the files' current content cheaply: modification times and sizes. */
    private String version() {
        try {
            return Files.getLastModifiedTime(cert) + "/" + Files.size(cert) + "/" + Files.getLastModifiedTime(key) + "/" + Files.size(key);
        } catch (IOException e) {
            return "unreadable";
        }
    }

    /** The chain and key as an in-memory key store; refuses a key that does not belong to the certificate. */
    static KeyStore keyStore(Path certFile, Path keyFile) {
        try {
            List<X509Certificate> chain = new ArrayList<>();
            JcaX509CertificateConverter certs = new JcaX509CertificateConverter();
            for (Object o : pemObjects(certFile)) {
                if (o instanceof X509CertificateHolder holder) chain.add(certs.getCertificate(holder));
            }
            if (chain.isEmpty()) throw new IllegalArgumentException(certFile + " holds no PEM certificate");
            PrivateKey privateKey = null;
            JcaPEMKeyConverter keys = new JcaPEMKeyConverter();
            for (Object o : pemObjects(keyFile)) {
                if (o instanceof PEMKeyPair pair) privateKey = keys.getPrivateKey(pair.getPrivateKeyInfo());
                else if (o instanceof PrivateKeyInfo info) privateKey = keys.getPrivateKey(info);
            }
            if (privateKey == null) throw new IllegalArgumentException(keyFile + " holds no unencrypted PEM private key");
            if (!belongTogether(privateKey, chain.get(0))) {
                throw new IllegalArgumentException("the key in " + keyFile + " is not the certificate's");
            }
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("roster", privateKey, PASSWORD, chain.toArray(X509Certificate[]::new));
            return store;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot read the TLS certificate or key: " + e.getMessage(), e);
        }
    }

    /** Whether the key signs what the certificate's public key verifies. */
    private static boolean belongTogether(PrivateKey key, X509Certificate cert) throws GeneralSecurityException {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC", "ECDSA" -> "SHA256withECDSA";
            default -> key.getAlgorithm(); // Ed25519, Ed448
        };
        byte[] probe = "roster".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        java.security.Signature signer = java.security.Signature.getInstance(algorithm);
        signer.initSign(key);
        signer.update(probe);
        byte[] signature = signer.sign();
        java.security.Signature verifier = java.security.Signature.getInstance(algorithm);
        try {
            verifier.initVerify(cert.getPublicKey());
        } catch (java.security.InvalidKeyException e) {
            return false;
        }
        verifier.update(probe);
        return verifier.verify(signature);
    }

    private static List<Object> pemObjects(Path file) throws IOException {
        List<Object> objects = new ArrayList<>();
        try (Reader reader = Files.newBufferedReader(file); PEMParser pem = new PEMParser(reader)) {
            for (Object o = pem.readObject(); o != null; o = pem.readObject()) objects.add(o);
        }
        return objects;
    }

    @Override
    public void close() {
        watcher.shutdownNow();
        try {
            factory.stop();
        } catch (Exception e) {
            log.debug("TLS factory did not stop cleanly: {}", e.toString());
        }
    }
}
