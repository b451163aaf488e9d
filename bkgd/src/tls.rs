//! HTTPS: rustls from PEM files, or a self-signed certificate generated once in
//! `<data_dir>/tls/` for trying TLS out (clients must trust `self-signed.crt`).

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use axum_server::tls_rustls::RustlsConfig;

use crate::config::HttpConfig;

/// The TLS configuration, when TLS is enabled.
pub async fn rustls_config(
    http: &HttpConfig,
    data_dir: &Path,
    listen: SocketAddr,
) -> anyhow::Result<Option<RustlsConfig>> {
    if !http.tls_cert_file.is_empty() {
        let cfg = RustlsConfig::from_pem_file(&http.tls_cert_file, &http.tls_key_file)
            .await
            .map_err(|e| anyhow::anyhow!("cannot load http.tls_cert_file / http.tls_key_file: {e}"))?;
        return Ok(Some(cfg));
    }
    if !http.tls_self_signed {
        return Ok(None);
    }
    let (cert, key) = self_signed_paths(data_dir);
    if !cert.exists() || !key.exists() {
        let mut names = vec!["localhost".to_string(), "127.0.0.1".to_string(), "::1".to_string()];
        if !listen.ip().is_unspecified() {
            names.push(listen.ip().to_string());
        }
        let generated = rcgen::generate_simple_self_signed(names)?;
        let _ = std::fs::remove_file(&key);
        let _ = std::fs::remove_file(&cert);
        crate::private_fs::write_new(&key, generated.signing_key.serialize_pem().as_bytes())?;
        crate::private_fs::write_new(&cert, generated.cert.pem().as_bytes())?;
        tracing::warn!(
            "generated a self-signed TLS certificate {}; clients must trust it explicitly",
            cert.display()
        );
    }
    Ok(Some(RustlsConfig::from_pem_file(&cert, &key).await?))
}

/// Where the self-signed certificate and key live.
pub fn self_signed_paths(data_dir: &Path) -> (PathBuf, PathBuf) {
    let dir = data_dir.join("tls");
    (dir.join("self-signed.crt"), dir.join("self-signed.key"))
}
