package roster.ldap;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import javax.net.ServerSocketFactory;
import javax.net.ssl.SSLSocketFactory;
import roster.http.Tls;

/**
 * TLS for the LDAP listeners, from the certificate HTTPS serves ({@link Tls}, reloaded when its files change):
 * StartTLS switches a connection's socket through {@link #startTls()}, LDAPS accepts through {@link #ldaps()}.
 * Each connection takes the certificate in service when it starts TLS, so a renewal needs no restart.
 */
final class TlsSockets {

    private final Tls tls;

    TlsSockets(Tls tls) {
        this.tls = tls;
    }

    /** What the SDK's LDAPListenerClientConnection.convertToTLS layers over a plain connection's socket. */
    SSLSocketFactory startTls() {
        return new SSLSocketFactory() {
            @Override
            public Socket createSocket(Socket plain, String host, int port, boolean autoClose) throws IOException {
                return tls.secure(plain);
            }

            @Override
            public String[] getDefaultCipherSuites() {
                return new String[0];
            }

            @Override
            public String[] getSupportedCipherSuites() {
                return new String[0];
            }

            // a server never opens connections
            @Override
            public Socket createSocket(String host, int port) throws IOException {
                throw new SocketException("server side only");
            }

            @Override
            public Socket createSocket(String host, int port, InetAddress local, int localPort) throws IOException {
                throw new SocketException("server side only");
            }

            @Override
            public Socket createSocket(InetAddress host, int port) throws IOException {
                throw new SocketException("server side only");
            }

            @Override
            public Socket createSocket(InetAddress host, int port, InetAddress local, int localPort) throws IOException {
                throw new SocketException("server side only");
            }
        };
    }

    /**
     * Server sockets whose accepted connections speak TLS. The handshake is left to the connection's first read, on
     * its own thread, so a client that never completes one does not hold the accepting thread.
     */
    ServerSocketFactory ldaps() {
        return new ServerSocketFactory() {
            @Override
            public ServerSocket createServerSocket() throws IOException {
                return new Secured();
            }

            @Override
            public ServerSocket createServerSocket(int port) throws IOException {
                return bound(port, 50, null);
            }

            @Override
            public ServerSocket createServerSocket(int port, int backlog) throws IOException {
                return bound(port, backlog, null);
            }

            @Override
            public ServerSocket createServerSocket(int port, int backlog, InetAddress address) throws IOException {
                return bound(port, backlog, address);
            }

            private ServerSocket bound(int port, int backlog, InetAddress address) throws IOException {
                Secured s = new Secured();
                s.bind(new java.net.InetSocketAddress(address, port), backlog);
                return s;
            }
        };
    }

    private final class Secured extends ServerSocket {
        Secured() throws IOException {
            super();
        }

        @Override
        public Socket accept() throws IOException {
            Socket plain = super.accept();
            try {
                return tls.secure(plain);
            } catch (IOException | RuntimeException e) {
                plain.close();
                throw e;
            }
        }
    }
}
