//! Password hashing with argon2id at OWASP's recommended parameters (19 MiB, 2 passes, 1 lane),
//! verification, and the check whether a stored hash should be upgraded at the next login.
//! Hashing runs on the blocking pool: it is deliberately slow and would stall the runtime.

use argon2::password_hash::phc::PasswordHash;
use argon2::{Algorithm, Argon2, Params, PasswordHasher, PasswordVerifier, Version};

/// Shortest password accepted for new passwords.
pub const MIN_LENGTH: usize = 12;
/// Longest new password, in characters (as the API's schema says).
pub const MAX_CHARS: usize = 256;
/// Longest password ever hashed, in bytes (argon2 takes more; this bounds the work per request).
pub const MAX_LENGTH: usize = 1024;

fn hasher() -> Argon2<'static> {
    let params = Params::new(Params::DEFAULT_M_COST, Params::DEFAULT_T_COST, Params::DEFAULT_P_COST, None)
        .expect("argon2's default parameters are valid");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// Checks a new password's shape; the message says what to fix.
pub fn check_new(password: &str) -> Result<(), String> {
    if password.chars().count() < MIN_LENGTH {
        return Err(format!("passwords need at least {MIN_LENGTH} characters"));
    }
    if password.chars().count() > MAX_CHARS || password.len() > MAX_LENGTH {
        return Err(format!("passwords have at most {MAX_CHARS} characters"));
    }
    Ok(())
}

/// Hashes a password (PHC string).
pub async fn hash(password: String) -> anyhow::Result<String> {
    tokio::task::spawn_blocking(move || {
        hasher()
            .hash_password(password.as_bytes())
            .map(|h| h.to_string())
            .map_err(|e| anyhow::anyhow!("argon2: {e}"))
    })
    .await?
}

/// Verifies a password against a stored hash; `Ok(true)` also says whether the hash should be
/// replaced (its parameters are older than the current ones).
pub async fn verify(password: String, stored: String) -> anyhow::Result<Option<bool>> {
    tokio::task::spawn_blocking(move || {
        if password.len() > MAX_LENGTH {
            return Ok(None);
        }
        let ok = hasher().verify_password(password.as_bytes(), stored.as_str()).is_ok();
        Ok(ok.then(|| needs_rehash(&stored)))
    })
    .await?
}

fn needs_rehash(stored: &str) -> bool {
    let Ok(parsed) = PasswordHash::new(stored) else { return true };
    let current = hasher();
    let Ok(params) = Params::try_from(&parsed) else { return true };
    parsed.algorithm.as_str() != "argon2id"
        || params.m_cost() < current.params().m_cost()
        || params.t_cost() < current.params().t_cost()
        || params.p_cost() < current.params().p_cost()
}

/// A hash of a random password, verified against when a user does not exist, so a login for
/// an unknown name takes as long as one for a known name.
pub async fn decoy() -> String {
    static DECOY: tokio::sync::OnceCell<String> = tokio::sync::OnceCell::const_new();
    DECOY
        .get_or_init(|| async {
            let random: String = (0..32).map(|_| char::from(b'a' + rand::random::<u8>() % 26)).collect();
            hash(random).await.unwrap_or_default()
        })
        .await
        .clone()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hash_verify_and_rehash_detection() {
        let h = hash("correct horse battery".into()).await.unwrap();
        assert!(h.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{h}");
        assert_eq!(verify("correct horse battery".into(), h.clone()).await.unwrap(), Some(false));
        assert_eq!(verify("wrong horse battery!".into(), h).await.unwrap(), None);
        // A hash with weaker parameters verifies and asks to be upgraded.
        let weak =
            Argon2::new(Algorithm::Argon2id, Version::V0x13, Params::new(8 * 1024, 1, 1, None).unwrap())
                .hash_password(b"correct horse battery")
                .unwrap()
                .to_string();
        assert_eq!(verify("correct horse battery".into(), weak).await.unwrap(), Some(true));
        assert!(check_new("short").is_err());
        assert!(check_new("long enough password").is_ok());
    }
}
