//! Users, roles, permissions, tokens, API keys and audit events, as the API speaks them.
//!
//! The permission table lives here, next to the roles, so the daemon's checks, the clients'
//! help texts and the tests read the same table.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::{IntoParams, ToSchema};

/// A user's (or an API key's) role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Readonly,
    Developer,
    Admin,
}

impl Role {
    pub const ALL: [Role; 3] = [Role::Admin, Role::Developer, Role::Readonly];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Developer => "developer",
            Role::Readonly => "readonly",
        }
    }

    /// The permission table.
    pub fn permissions(self) -> &'static [Permission] {
        use Permission::*;
        match self {
            Role::Admin => Permission::ALL,
            Role::Developer => &[
                PluginsRead,
                PluginsLifecycle,
                PluginsInvoke,
                PluginsConfigure,
                ModelsRead,
                ModelsWrite,
                DocumentsRead,
                DocumentsWrite,
                AnalyticsRead,
                KeysOwn,
            ],
            Role::Readonly => &[PluginsRead, ModelsRead, DocumentsRead, AnalyticsRead, KeysOwn],
        }
    }

    pub fn can(self, p: Permission) -> bool {
        self.permissions().contains(&p)
    }
}

impl std::fmt::Display for Role {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for Role {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "admin" => Ok(Role::Admin),
            "developer" => Ok(Role::Developer),
            "readonly" => Ok(Role::Readonly),
            _ => Err(format!("unknown role {s:?} (admin, developer, readonly)")),
        }
    }
}

/// What a request may do. Every route of the API requires exactly one (or none, for the few
/// public ones: health, readiness, login, refresh, the OpenAPI document).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ToSchema)]
pub enum Permission {
    /// List plugins, read status, capabilities, logs, telemetry; subscribe to their events.
    #[serde(rename = "plugins:read")]
    PluginsRead,
    /// Start, stop, restart plugins.
    #[serde(rename = "plugins:lifecycle")]
    PluginsLifecycle,
    /// Invoke plugin capabilities (also the OpenAI-compatible routes).
    #[serde(rename = "plugins:invoke")]
    PluginsInvoke,
    /// Change plugin configuration.
    #[serde(rename = "plugins:configure")]
    PluginsConfigure,
    /// Invoke capabilities a plugin's manifest reserves for administrators (brainml's `admin`:
    /// snapshots, restores, dropping collections).
    #[serde(rename = "plugins:admin")]
    PluginsAdmin,
    #[serde(rename = "models:read")]
    ModelsRead,
    /// Download, validate, delete models.
    #[serde(rename = "models:write")]
    ModelsWrite,
    /// Import a model from a folder on the daemon's machine (within `models.import_roots`).
    #[serde(rename = "models:import")]
    ModelsImport,
    #[serde(rename = "documents:read")]
    DocumentsRead,
    #[serde(rename = "documents:write")]
    DocumentsWrite,
    /// Read usage analytics and metrics.
    #[serde(rename = "analytics:read")]
    AnalyticsRead,
    /// Manage one's own API keys.
    #[serde(rename = "keys:own")]
    KeysOwn,
    /// Manage every user's API keys.
    #[serde(rename = "keys:all")]
    KeysAll,
    #[serde(rename = "users:read")]
    UsersRead,
    /// Create, change, delete users.
    #[serde(rename = "users:write")]
    UsersWrite,
    /// Query the audit log.
    #[serde(rename = "audit:read")]
    AuditRead,
    /// Read the daemon's effective configuration (secrets redacted).
    #[serde(rename = "config:read")]
    ConfigRead,
}

impl Permission {
    pub const ALL: &'static [Permission] = &[
        Permission::PluginsRead,
        Permission::PluginsLifecycle,
        Permission::PluginsInvoke,
        Permission::PluginsConfigure,
        Permission::PluginsAdmin,
        Permission::ModelsRead,
        Permission::ModelsWrite,
        Permission::ModelsImport,
        Permission::DocumentsRead,
        Permission::DocumentsWrite,
        Permission::AnalyticsRead,
        Permission::KeysOwn,
        Permission::KeysAll,
        Permission::UsersRead,
        Permission::UsersWrite,
        Permission::AuditRead,
        Permission::ConfigRead,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Permission::PluginsRead => "plugins:read",
            Permission::PluginsLifecycle => "plugins:lifecycle",
            Permission::PluginsInvoke => "plugins:invoke",
            Permission::PluginsConfigure => "plugins:configure",
            Permission::PluginsAdmin => "plugins:admin",
            Permission::ModelsRead => "models:read",
            Permission::ModelsWrite => "models:write",
            Permission::ModelsImport => "models:import",
            Permission::DocumentsRead => "documents:read",
            Permission::DocumentsWrite => "documents:write",
            Permission::AnalyticsRead => "analytics:read",
            Permission::KeysOwn => "keys:own",
            Permission::KeysAll => "keys:all",
            Permission::UsersRead => "users:read",
            Permission::UsersWrite => "users:write",
            Permission::AuditRead => "audit:read",
            Permission::ConfigRead => "config:read",
        }
    }
}

impl std::fmt::Display for Permission {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for Permission {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Permission::ALL
            .iter()
            .copied()
            .find(|p| p.as_str() == s)
            .ok_or_else(|| format!("unknown permission {s:?}"))
    }
}

/// `POST /auth/login`.
#[derive(Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    pub username: String,
    pub password: String,
}

impl std::fmt::Debug for LoginRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LoginRequest").field("username", &self.username).field("password", &"***").finish()
    }
}

/// Answer of login and refresh: a short-lived JWT and an opaque refresh token.
#[derive(Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct TokenPair {
    pub access_token: String,
    /// Always `Bearer`.
    pub token_type: String,
    /// Seconds until the access token expires.
    pub expires_in: u64,
    /// Opaque; rotated on every use; presenting a used one revokes its whole family.
    pub refresh_token: String,
    pub refresh_expires_in: u64,
}

impl std::fmt::Debug for TokenPair {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenPair").field("expires_in", &self.expires_in).finish_non_exhaustive()
    }
}

/// `POST /auth/refresh`.
#[derive(Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RefreshRequest {
    pub refresh_token: String,
}

impl std::fmt::Debug for RefreshRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("RefreshRequest { .. }")
    }
}

/// `POST /auth/logout`: ends the session of the token used; `all` ends every session of the user.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LogoutRequest {
    #[serde(default)]
    pub all: bool,
}

/// `POST /auth/password`: a user changes their own password; every earlier token is revoked.
#[derive(Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ChangePassword {
    #[schema(max_length = 256)]
    pub current_password: String,
    #[schema(min_length = 12, max_length = 256)]
    pub new_password: String,
}

impl std::fmt::Debug for ChangePassword {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ChangePassword { .. }")
    }
}

/// How a request authenticated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AuthMethod {
    Jwt,
    ApiKey,
}

/// `GET /auth/me`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Me {
    pub user: User,
    /// The effective role: the user's, or the API key's (never more than its owner's).
    pub role: Role,
    pub permissions: Vec<Permission>,
    pub method: AuthMethod,
    pub key_id: Option<String>,
    pub session_id: Option<String>,
}

/// One login session of the caller (`GET /auth/sessions`): a refresh-token family.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SessionInfo {
    pub id: String,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    /// The client address the login came from.
    pub ip: Option<String>,
    /// Whether this is the session of the token making the request.
    pub current: bool,
}

/// The caller's live sessions, newest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct SessionList {
    pub sessions: Vec<SessionInfo>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct User {
    pub id: String,
    pub username: String,
    pub role: Role,
    pub disabled: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct UserList {
    pub users: Vec<User>,
}

/// `POST /admin/users`.
#[derive(Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateUser {
    /// 1-64 of a-z, 0-9, `.`, `_`, `-`, `@`.
    #[schema(pattern = "^[a-z0-9._@-]{1,64}$")]
    pub username: String,
    /// At least 12 characters.
    #[schema(min_length = 12, max_length = 256)]
    pub password: String,
    pub role: Role,
}

impl std::fmt::Debug for CreateUser {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CreateUser").field("username", &self.username).field("role", &self.role).finish()
    }
}

/// `PUT /admin/users/{id}`: only the given fields change.
#[derive(Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateUser {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<Role>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(min_length = 12, max_length = 256)]
    pub password: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disabled: Option<bool>,
}

impl std::fmt::Debug for UpdateUser {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UpdateUser")
            .field("role", &self.role)
            .field("password", &self.password.as_ref().map(|_| "***"))
            .field("disabled", &self.disabled)
            .finish()
    }
}

/// An API key as listed: never its secret.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ApiKey {
    pub id: String,
    pub name: String,
    /// The public start of the key (`bkg_XXXXXXXX`), to recognise it in lists and logs.
    pub prefix: String,
    pub user_id: String,
    pub username: String,
    pub role: Role,
    /// When not empty, the key may only do these (within its role).
    pub scopes: Vec<Permission>,
    pub enabled: bool,
    pub expires_at: Option<DateTime<Utc>>,
    pub last_used_at: Option<DateTime<Utc>>,
    /// After a rotation with a grace period: until when the previous secret still works.
    pub previous_valid_until: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// When the secret was last rotated (absent: never; the secret is as old as the key).
    #[serde(default)]
    pub rotated_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ApiKeyList {
    pub keys: Vec<ApiKey>,
}

/// `POST /admin/api-keys`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CreateApiKey {
    /// 1-100 characters, not only spaces.
    #[schema(min_length = 1, max_length = 100, pattern = "\\S")]
    pub name: String,
    /// Defaults to the owner's role; may not exceed it.
    #[serde(default)]
    pub role: Option<Role>,
    #[serde(default)]
    pub scopes: Option<Vec<Permission>>,
    #[serde(default)]
    pub expires_at: Option<DateTime<Utc>>,
    /// The owner; only admins may create keys for other users.
    #[serde(default)]
    pub user_id: Option<String>,
}

/// `PUT|PATCH /admin/api-keys/{id}`: only the given fields change (`expiresAt: null` clears the
/// expiry).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct UpdateApiKey {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(min_length = 1, max_length = 100, pattern = "\\S")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<Role>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scopes: Option<Vec<Permission>>,
    #[serde(default, skip_serializing_if = "Option::is_none", with = "double_option")]
    #[schema(value_type = Option<DateTime<Utc>>)]
    pub expires_at: Option<Option<DateTime<Utc>>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
}

/// `POST /admin/api-keys/{id}/rotate`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RotateApiKey {
    /// How long the previous secret keeps working, at most 7 days (0 or absent: it stops at once).
    #[serde(default, deserialize_with = "integral_opt")]
    #[schema(maximum = 604800)]
    pub grace_period_seconds: Option<u64>,
}

/// Answer of create (201) and rotate (200): the key and its secret, shown this once.
#[derive(Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ApiKeySecret {
    pub key: ApiKey,
    pub secret: String,
}

impl std::fmt::Debug for ApiKeySecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ApiKeySecret").field("key", &self.key).field("secret", &"***").finish()
    }
}

/// One audit event (a row of `analytics_events` of kind `audit`). Never contains a secret.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AuditEvent {
    pub id: i64,
    pub ts: DateTime<Utc>,
    /// e.g. `auth.login`, `key.create`, `user.update`, `plugin.start`, `model.delete`.
    pub action: String,
    /// The username (or `key:<prefix>`) that acted; absent for anonymous failures.
    pub actor: Option<String>,
    pub target: Option<String>,
    /// `success` or `failure`.
    pub outcome: String,
    pub ip: Option<String>,
    pub details: Value,
}

/// Filters of `GET /admin/audit`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditQuery {
    pub actor: Option<String>,
    /// An action, or a prefix ending in `.` (`key.` matches every key event).
    pub action: Option<String>,
    pub target: Option<String>,
    /// RFC 3339 or an age like `24h`.
    pub since: Option<String>,
    pub until: Option<String>,
    /// Newest first; at most this many (default 100, max 1000).
    #[param(minimum = 1, maximum = 1000)]
    pub limit: Option<u32>,
    /// Only events older than this id (the `next` of the previous page).
    #[param(minimum = 1)]
    pub before: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct AuditPage {
    pub events: Vec<AuditEvent>,
    /// Pass as `before` for the next (older) page; absent at the end.
    pub next: Option<i64>,
}

/// JSON Schema counts `1582.0` as an integer; so does this field.
fn integral_opt<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<u64>, D::Error> {
    let v = Option::<f64>::deserialize(d)?;
    match v {
        None => Ok(None),
        Some(f) if f >= 0.0 && f.fract() == 0.0 && f <= u64::MAX as f64 => Ok(Some(f as u64)),
        Some(f) => Err(serde::de::Error::custom(format!("expected a non-negative whole number, got {f}"))),
    }
}

/// Serde helper: distinguishes an absent field (`None`) from an explicit `null` (`Some(None)`).
mod double_option {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub fn serialize<T: Serialize, S: Serializer>(v: &Option<Option<T>>, s: S) -> Result<S::Ok, S::Error> {
        match v {
            Some(inner) => inner.serialize(s),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, T: Deserialize<'de>, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Option<Option<T>>, D::Error> {
        Option::<T>::deserialize(d).map(Some)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_nest() {
        for p in Role::Readonly.permissions() {
            assert!(Role::Developer.can(*p), "{p}");
        }
        for p in Role::Developer.permissions() {
            assert!(Role::Admin.can(*p), "{p}");
        }
        assert!(!Role::Developer.can(Permission::UsersWrite));
        assert!(!Role::Readonly.can(Permission::PluginsInvoke));
        // Reaching the host's files through a plugin or an import is for admins only.
        assert!(!Role::Developer.can(Permission::PluginsAdmin));
        assert!(!Role::Developer.can(Permission::ModelsImport));
    }

    #[test]
    fn permission_names_round_trip() {
        for p in Permission::ALL {
            assert_eq!(serde_json::to_string(p).unwrap(), format!("\"{}\"", p.as_str()));
            assert_eq!(p.as_str().parse::<Permission>().unwrap(), *p);
        }
    }

    #[test]
    fn whole_floats_are_integers() {
        let r: RotateApiKey = serde_json::from_str(r#"{"gracePeriodSeconds": 1582.0}"#).unwrap();
        assert_eq!(r.grace_period_seconds, Some(1582));
        assert!(serde_json::from_str::<RotateApiKey>(r#"{"gracePeriodSeconds": 1.5}"#).is_err());
        assert!(serde_json::from_str::<RotateApiKey>(r#"{"gracePeriodSeconds": -1}"#).is_err());
    }

    #[test]
    fn update_distinguishes_null_from_absent() {
        let u: UpdateApiKey = serde_json::from_str(r#"{"expiresAt": null}"#).unwrap();
        assert_eq!(u.expires_at, Some(None));
        let u: UpdateApiKey = serde_json::from_str(r#"{"name": "x"}"#).unwrap();
        assert_eq!(u.expires_at, None);
    }
}
