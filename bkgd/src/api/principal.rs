//! The extractors every route declares its permission with: `Require<perm::X>`
//! (authenticated and allowed to do X) or `Authenticated` (any valid credential), and the
//! caller's address (`ClientIp`). Handlers never check credentials inline.
//!
//! Credentials are read from `Authorization: Bearer <JWT or API key>`, `X-API-Key: <API key>`
//! (API keys only: a header named for keys never carries a session), or, for browsers opening
//! the WebSocket (which cannot set headers), the subprotocol list `bkg.v1, bkg.bearer.<token>`.
//! Checking a credential is the domain's (`auth::Auth::authenticate`).

use std::marker::PhantomData;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use bkg_core::ErrorCode;
use bkg_core::auth::Permission;

use super::AppState;
use super::error::ApiError;
use crate::auth::Principal;

/// A permission as a type, so a route's requirement is part of its signature.
pub trait Perm: Send + Sync + 'static {
    const PERMISSION: Permission;
}

/// Marker types, one per permission.
pub mod perm {
    use super::Perm;
    use bkg_core::auth::Permission;

    macro_rules! perms {
        ($($name:ident),* $(,)?) => {$(
            #[derive(Debug)]
            pub struct $name;
            impl Perm for $name {
                const PERMISSION: Permission = Permission::$name;
            }
        )*};
    }

    perms!(
        PluginsRead,
        PluginsLifecycle,
        PluginsInvoke,
        PluginsConfigure,
        PluginsAdmin,
        ModelsRead,
        ModelsWrite,
        ModelsImport,
        DocumentsRead,
        DocumentsWrite,
        AnalyticsRead,
        KeysOwn,
        KeysAll,
        UsersRead,
        UsersWrite,
        AuditRead,
        ConfigRead,
    );
}

/// The WebSocket subprotocol a browser offers with its token (`bkg.bearer.<token>`).
pub const WS_TOKEN_PROTOCOL: &str = "bkg.bearer.";
/// The subprotocol the daemon answers with.
pub const WS_PROTOCOL: &str = "bkg.v1";

/// The credential a request carries, if any, borrowed from its headers.
#[derive(Debug, PartialEq)]
pub enum Credential<'a> {
    /// A JWT or an API key (`Authorization: Bearer`, or the WebSocket subprotocol).
    Bearer(&'a str),
    /// From `X-API-Key`: an API key, or nothing valid.
    ApiKey(&'a str),
}

pub fn credential(parts: &Parts) -> Option<Credential<'_>> {
    let h = &parts.headers;
    if let Some(v) = h.get(axum::http::header::AUTHORIZATION).and_then(|v| v.to_str().ok()) {
        let (scheme, token) = v.split_once(' ').unwrap_or((v, ""));
        if scheme.eq_ignore_ascii_case("bearer") && !token.trim().is_empty() {
            return Some(Credential::Bearer(token.trim()));
        }
    }
    if let Some(v) = h.get("x-api-key").and_then(|v| v.to_str().ok()).filter(|v| !v.is_empty()) {
        return Some(Credential::ApiKey(v.trim()));
    }
    h.get_all(axum::http::header::SEC_WEBSOCKET_PROTOCOL)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .find_map(|p| p.trim().strip_prefix(WS_TOKEN_PROTOCOL).map(Credential::Bearer))
}

/// Any valid credential. Shared: a second extractor of the same request (a handler that
/// takes `Require<P>` and `Authenticated`) gets the same principal without copying it.
#[derive(Debug, Clone)]
pub struct Authenticated(pub Arc<Principal>);

impl FromRequestParts<Arc<AppState>> for Authenticated {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &Arc<AppState>) -> Result<Self, Self::Rejection> {
        if let Some(p) = parts.extensions.get::<Arc<Principal>>() {
            return Ok(Authenticated(p.clone()));
        }
        let principal = match credential(parts) {
            None => {
                return Err(ApiError::unauthorized(
                    "authentication required: send `Authorization: Bearer <access token or API key>`",
                ));
            }
            Some(Credential::ApiKey(key)) if !crate::auth::apikey::looks_like_key(key) => {
                return Err(ApiError::unauthorized(
                    "X-API-Key takes API keys (bkg_...) only; send access tokens as `Authorization: Bearer`",
                ));
            }
            Some(Credential::ApiKey(token) | Credential::Bearer(token)) => {
                state.auth.authenticate(token).await?
            }
        };
        let principal = Arc::new(principal);
        parts.extensions.insert(principal.clone());
        Ok(Authenticated(principal))
    }
}

/// An authenticated caller allowed to do `P`.
#[derive(Debug, Clone)]
pub struct Require<P: Perm>(pub Arc<Principal>, PhantomData<P>);

impl<P: Perm> Require<P> {
    pub fn principal(&self) -> &Principal {
        &self.0
    }
}

impl<P: Perm> FromRequestParts<Arc<AppState>> for Require<P> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &Arc<AppState>) -> Result<Self, Self::Rejection> {
        let Authenticated(principal) = Authenticated::from_request_parts(parts, state).await?;
        if !principal.can(P::PERMISSION) {
            let why = if principal.role.can(P::PERMISSION) {
                "this API key's scopes do not include it".to_string()
            } else {
                format!("your role {} does not grant it", principal.role)
            };
            return Err(ApiError::new(
                ErrorCode::Forbidden,
                format!("this needs the permission {}; {why}", P::PERMISSION),
            )
            .with_details(serde_json::json!({"permission": P::PERMISSION})));
        }
        Ok(Require(principal, PhantomData))
    }
}

/// The client's address (see `api::ip`).
#[derive(Debug, Clone, Copy)]
pub struct ClientIp(pub IpAddr);

impl FromRequestParts<Arc<AppState>> for ClientIp {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &Arc<AppState>) -> Result<Self, Self::Rejection> {
        Ok(ClientIp(client_ip_of(parts, state)))
    }
}

pub fn client_ip_of(parts: &Parts, state: &AppState) -> IpAddr {
    let peer = parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0)
        .unwrap_or_else(|| SocketAddr::from(([127, 0, 0, 1], 0)));
    super::ip::client_ip(peer, &parts.headers, &state.auth.trusted)
}
