//! The API key format: `bkg_` + 8 lookup characters + 32 secret characters + a 6-character
//! checksum, all base62. The first 12 characters (`bkg_` + lookup) are the public prefix shown
//! in listings and used to find the key; the checksum (the start of a SHA-256 of the rest) lets
//! leak scanners and the daemon reject mistyped or made-up keys without a lookup. Only a
//! SHA-256 of the whole key is stored: keys are long and random, so a slow hash adds nothing.

use sha2::{Digest, Sha256};

pub const PREFIX: &str = "bkg_";
const LOOKUP: usize = 8;
const SECRET: usize = 32;
const CHECK: usize = 6;
pub const LEN: usize = 4 + LOOKUP + SECRET + CHECK;
const ALPHABET: &[u8; 62] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

fn random_base62(n: usize) -> String {
    let mut out = String::with_capacity(n);
    while out.len() < n {
        // Rejection sampling keeps every character equally likely.
        let b = rand::random::<u8>();
        if b < 248 {
            out.push(ALPHABET[(b % 62) as usize] as char);
        }
    }
    out
}

fn checksum(body: &str) -> String {
    let digest = Sha256::digest(body.as_bytes());
    let mut n = u64::from_be_bytes([0, 0, 0, digest[0], digest[1], digest[2], digest[3], digest[4]]);
    let mut out = [b'0'; CHECK];
    for slot in out.iter_mut().rev() {
        *slot = ALPHABET[(n % 62) as usize];
        n /= 62;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// A freshly generated key: the full secret and its public prefix.
pub fn generate() -> (String, String) {
    let body = format!("{PREFIX}{}{}", random_base62(LOOKUP), random_base62(SECRET));
    let key = format!("{body}{}", checksum(&body));
    let prefix = key[..PREFIX.len() + LOOKUP].to_string();
    (key, prefix)
}

/// The public prefix of a well-formed key (right length, alphabet and checksum), else `None`.
pub fn parse(key: &str) -> Option<&str> {
    if key.len() != LEN || !key.starts_with(PREFIX) {
        return None;
    }
    let rest = &key.as_bytes()[PREFIX.len()..];
    if !rest.iter().all(|c| c.is_ascii_alphanumeric()) {
        return None;
    }
    let (body, check) = key.split_at(LEN - CHECK);
    (checksum(body) == check).then(|| &key[..PREFIX.len() + LOOKUP])
}

/// Whether a bearer token looks like an API key rather than a JWT.
pub fn looks_like_key(token: &str) -> bool {
    token.starts_with(PREFIX)
}

/// The stored form of a key.
pub fn hash(key: &str) -> String {
    hex::encode(Sha256::digest(key.as_bytes()))
}

/// Constant-time comparison of two stored hashes.
pub fn same_hash(a: &str, b: &str) -> bool {
    use subtle::ConstantTimeEq;
    a.len() == b.len() && bool::from(a.as_bytes().ct_eq(b.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_keys_parse_and_typos_do_not() {
        let (key, prefix) = generate();
        assert_eq!(key.len(), LEN);
        assert_eq!(parse(&key), Some(prefix.as_str()));
        assert!(prefix.starts_with("bkg_") && prefix.len() == 12);
        let mut typo = key.clone().into_bytes();
        typo[20] = if typo[20] == b'a' { b'b' } else { b'a' };
        assert_eq!(parse(&String::from_utf8(typo).unwrap()), None);
        assert_eq!(parse("bkg_short"), None);
        assert_eq!(parse(&format!("xyz_{}", &key[4..])), None);
        assert!(same_hash(&hash(&key), &hash(&key)));
        assert!(!same_hash(&hash(&key), &hash("other")));
        assert_ne!(generate().0, generate().0);
    }
}
