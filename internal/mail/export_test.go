package mail

import "crypto/x509"

// TrustOnly returns t trusting only the certificates in roots, such as a
// test server's self-signed one.
func TrustOnly(t Transport, roots *x509.CertPool) Transport {
	t.roots = roots
	return t
}
