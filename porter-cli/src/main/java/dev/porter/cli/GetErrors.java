package dev.porter.cli;

import dev.porter.core.TlsSetupException;
import dev.porter.http.HttpClientException;

import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import javax.net.ssl.SSLException;

/**
 * What a network or TLS failure of {@code porter get} means to a person: one line, and curl's exit code for it,
 * so scripts written for curl can tell the failures apart.
 */
final class GetErrors {

    private GetErrors() {
    }

    /** @return the line and exit code for {@code e}, thrown while sending the request or reading the response */
    static GetFailure classify(IOException e) {
        String msg = e.getMessage();
        ExitCode code = switch (e) {
            case HttpClientException.UnsupportedScheme x -> ExitCode.UNSUPPORTED;
            case HttpClientException.MalformedResponse x -> {
                msg = "malformed response: " + msg;
                yield ExitCode.MALFORMED;
            }
            case HttpClientException.IncompleteResponse x -> x.empty() ? ExitCode.EMPTY_REPLY : ExitCode.PARTIAL;
            case HttpClientException.Timeout x -> ExitCode.TIMEOUT;
            case HttpClientException.TooManyRedirects x -> ExitCode.TOO_MANY_REDIRECTS;
            // curl's code for a refused WebSocket upgrade is its 22; a 101 that breaks RFC 6455 is a weird reply, 8.
            case HttpClientException.WebSocketHandshake x -> x.status() == 101 ? ExitCode.MALFORMED : ExitCode.HTTP_ERROR;
            case UnknownHostException x -> {
                msg = "could not resolve host " + msg;
                yield ExitCode.UNKNOWN_HOST;
            }
            case ConnectException x -> ExitCode.CONNECT_FAILED;
            case TlsSetupException x -> {
                msg = "cannot use --cacert: " + msg;
                yield ExitCode.CA_FILE;
            }
            case SSLException x -> {
                String problem = certificateProblem(x);
                msg = problem != null ? problem : "TLS handshake failed: " + x.getMessage();
                yield problem != null ? ExitCode.PEER_CERTIFICATE : ExitCode.TLS_HANDSHAKE;
            }
            default -> {
                msg = e.getClass().getSimpleName() + ": " + msg;
                yield ExitCode.NETWORK;
            }
        };
        return new GetFailure(code, msg);
    }

    /**
     * @return one line for a certificate that could not be authenticated (curl's exit 60), or null if the handshake
     *         failed for another reason (curl's 35)
     */
    static String certificateProblem(SSLException e) {
        Throwable certificate = null;
        for (Throwable t = e; t != null && t.getCause() != t; t = t.getCause()) {
            if (t instanceof CertificateExpiredException || t instanceof CertificateNotYetValidException) {
                certificate = t;
                break;
            }
            if (certificate == null && (t instanceof CertificateException || t instanceof CertPathValidatorException
                    || t instanceof CertPathBuilderException)) {
                certificate = t;
            }
        }
        if (certificate == null) return null;
        String how = "; use --cacert FILE to trust its authority, or -k to skip the check";
        String m = certificate.getMessage() == null ? "" : certificate.getMessage();
        if (certificate instanceof CertificateExpiredException) {
            return "SSL certificate problem: the server's certificate has expired (" + m + ")";
        }
        if (certificate instanceof CertificateNotYetValidException) {
            return "SSL certificate problem: the server's certificate is not valid yet (" + m + ")";
        }
        if (m.startsWith("No subject alternative") || m.startsWith("No name matching")) {
            return "SSL: the server's certificate is not for this host (" + m + ")";
        }
        if (certificate instanceof CertPathBuilderException || m.contains("unable to find valid certification path")) {
            return "SSL certificate problem: the server's certificate is not issued by a trusted authority" + how;
        }
        return "SSL certificate problem: " + m + how;
    }
}
