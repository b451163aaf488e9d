//! The client's IP address: the TCP peer, unless the peer is a configured trusted proxy, in
//! which case the nearest untrusted address of `X-Forwarded-For`. Nobody else's forwarding
//! headers are believed, so a client cannot choose its own identity for rate limits and audit.

use std::net::{IpAddr, SocketAddr};

use axum::http::HeaderMap;

/// An IP network: an address and a prefix length.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cidr {
    addr: IpAddr,
    bits: u8,
}

/// Parses `10.0.0.0/8`, `::1` or `192.168.1.2`.
pub fn parse_cidr(s: &str) -> Option<Cidr> {
    let (addr, bits) = match s.split_once('/') {
        Some((a, b)) => (a.parse::<IpAddr>().ok()?, b.parse::<u8>().ok()?),
        None => {
            let a = s.parse::<IpAddr>().ok()?;
            (a, if a.is_ipv4() { 32 } else { 128 })
        }
    };
    let max = if addr.is_ipv4() { 32 } else { 128 };
    if bits > max {
        return None;
    }
    // A v4-mapped IPv6 network is the IPv4 network it maps.
    match addr {
        IpAddr::V6(v6) if v6.to_ipv4_mapped().is_some() => {
            Some(Cidr { addr: canonical(addr), bits: bits.saturating_sub(96) })
        }
        _ => Some(Cidr { addr, bits }),
    }
}

impl Cidr {
    pub fn contains(&self, ip: IpAddr) -> bool {
        let ip = canonical(ip);
        match (self.addr, ip) {
            (IpAddr::V4(net), IpAddr::V4(ip)) => {
                mask(u32::from(net) as u128, 32, self.bits) == mask(u32::from(ip) as u128, 32, self.bits)
            }
            (IpAddr::V6(net), IpAddr::V6(ip)) => {
                mask(u128::from(net), 128, self.bits) == mask(u128::from(ip), 128, self.bits)
            }
            _ => false,
        }
    }
}

fn mask(v: u128, width: u8, bits: u8) -> u128 {
    if bits == 0 { 0 } else { v >> (width - bits) }
}

/// IPv4-mapped IPv6 addresses compare as IPv4.
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map(IpAddr::V4).unwrap_or(ip),
        v4 => v4,
    }
}

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
