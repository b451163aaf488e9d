//! Who is asking: the authenticated caller (`Principal`) and what it may do. How a request
//! proves it (headers, the extractors routes declare their permission with) is HTTP and
//! lives in `api::principal`.

use bkg_core::auth::{AuthMethod, Permission, Role};

/// The authenticated caller.
#[derive(Debug, Clone, PartialEq)]
pub struct Principal {
    pub user_id: String,
    pub username: String,
    /// The effective role (an API key's role, capped by its owner's current role).
    pub role: Role,
    /// An API key's scopes; empty means the whole role.
    pub scopes: Vec<Permission>,
    pub method: AuthMethod,
    pub session_id: Option<String>,
    pub key_id: Option<String>,
    pub key_prefix: Option<String>,
}

impl Principal {
    pub fn can(&self, p: Permission) -> bool {
        self.role.can(p) && (self.scopes.is_empty() || self.scopes.contains(&p))
    }

    pub fn permissions(&self) -> Vec<Permission> {
        Permission::ALL.iter().copied().filter(|p| self.can(*p)).collect()
    }

    /// How the audit log names this caller.
    pub fn actor(&self) -> String {
        match &self.key_prefix {
            Some(prefix) => format!("{} (key {prefix})", self.username),
            None => self.username.clone(),
        }
    }
}
