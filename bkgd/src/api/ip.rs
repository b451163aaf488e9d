//! The client's IP address: the TCP peer, unless the peer is a configured trusted proxy, in
//! which case the nearest untrusted address of `X-Forwarded-For`. Nobody else's forwarding
//! headers are believed, so a client cannot choose its own identity for rate limits and audit.

use std::net::{IpAddr, SocketAddr};

use axum::http::HeaderMap;

use crate::config::cidr::{Cidr, canonical};

/// The client address of a request.
pub fn client_ip(peer: SocketAddr, headers: &HeaderMap, trusted: &[Cidr]) -> IpAddr {
    let peer = canonical(peer.ip());
    if !trusted.iter().any(|c| c.contains(peer)) {
        return peer;
    }
    let forwarded: Vec<IpAddr> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .filter_map(|s| s.trim().parse::<IpAddr>().ok())
        .map(canonical)
        .collect();
    // Walk from the nearest hop outwards; the first address not of a trusted proxy is the client.
    forwarded.iter().rev().find(|ip| !trusted.iter().any(|c| c.contains(**ip))).copied().unwrap_or(peer)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::cidr::parse_cidr;

    fn headers(xff: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert("x-forwarded-for", xff.parse().unwrap());
        h
    }

    #[test]
    fn forwarded_for_only_from_trusted_proxies() {
        let trusted = vec![parse_cidr("10.0.0.0/8").unwrap()];
        let proxy: SocketAddr = "10.1.2.3:5000".parse().unwrap();
        let stranger: SocketAddr = "203.0.113.9:5000".parse().unwrap();
        assert_eq!(
            client_ip(stranger, &headers("1.2.3.4"), &trusted),
            "203.0.113.9".parse::<IpAddr>().unwrap()
        );
        assert_eq!(client_ip(proxy, &headers("1.2.3.4"), &trusted), "1.2.3.4".parse::<IpAddr>().unwrap());
        // A client-supplied first entry is ignored when a real client address follows it.
        assert_eq!(
            client_ip(proxy, &headers("6.6.6.6, 198.51.100.7, 10.9.9.9"), &trusted),
            "198.51.100.7".parse::<IpAddr>().unwrap()
        );
        assert_eq!(client_ip(proxy, &HeaderMap::new(), &trusted), "10.1.2.3".parse::<IpAddr>().unwrap());
        assert!(parse_cidr("::ffff:10.0.0.1").unwrap().contains("10.0.0.1".parse().unwrap()));
        assert!(parse_cidr("nonsense").is_none() && parse_cidr("10.0.0.0/33").is_none());
        assert!(parse_cidr("0.0.0.0/0").unwrap().contains("8.8.8.8".parse().unwrap()));
    }
}
