//! IP networks as `auth.trusted_proxies` writes them (`10.0.0.0/8`, `::1`, `192.168.1.2`).

use std::net::IpAddr;

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
pub fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map(IpAddr::V4).unwrap_or(ip),
        v4 => v4,
    }
}
