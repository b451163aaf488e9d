//! The route x principal matrix: every route of the OpenAPI document (and the WebSocket),
//! called by anonymous, each role, an API key of each role, an expired token and a revoked
//! key. Every cell must be exactly the documented status: the success status when the role
//! grants the route's permission, 403 when it does not, 401 without valid credentials. A route
//! missing from `CASES` fails the test, so no route can be added without declaring who may use
//! it. Capabilities that a manifest reserves for a further permission get the same treatment
//! (`CAPABILITIES`).

use std::collections::BTreeSet;

use bkg_core::auth::{CreateApiKey, Permission, Role};
use jsonwebtoken::{EncodingKey, Header};
use serde_json::{Value, json};

use crate::harness::{ADMIN_PASSWORD, TestDaemon, daemon};

const JWT_SECRET: &str = "matrix-test-jwt-secret-0123456789abcdef";

/// Who calls.
#[derive(Debug, Clone)]
struct Caller {
    name: &'static str,
    token: Option<String>,
    /// `None`: not authenticated (anonymous, expired token, revoked key).
    role: Option<Role>,
    jwt: bool,
    user_id: String,
}

/// One route: its permission (`None` for public routes, `Some(None)`-like "any authenticated"
/// is written as `Auth`), its success status and how to build a valid request.
#[derive(Debug, Clone, Copy)]
enum Needs {
    Public,
    Authenticated,
    Perm(Permission),
}

struct Case {
    method: &'static str,
    path: &'static str,
    needs: Needs,
    ok: u16,
}

const CASES: &[Case] = &[
    Case { method: "get", path: "/healthz", needs: Needs::Public, ok: 200 },
    Case { method: "get", path: "/readyz", needs: Needs::Public, ok: 200 },
    Case { method: "get", path: "/api/openapi.json", needs: Needs::Public, ok: 200 },
    Case { method: "get", path: "/metrics", needs: Needs::Perm(Permission::AnalyticsRead), ok: 200 },
    Case { method: "get", path: "/api/plugins", needs: Needs::Perm(Permission::PluginsRead), ok: 200 },
    Case { method: "get", path: "/api/nodes", needs: Needs::Perm(Permission::PluginsRead), ok: 200 },
    Case { method: "get", path: "/api/plugins/{id}", needs: Needs::Perm(Permission::PluginsRead), ok: 200 },
    Case {
        method: "get",
        path: "/api/plugins/{id}/status",
        needs: Needs::Perm(Permission::PluginsRead),
        ok: 200,
    },
    Case {
        method: "get",
        path: "/api/plugins/{id}/capabilities",
        needs: Needs::Perm(Permission::PluginsRead),
        ok: 200,
    },
    Case {
        method: "get",
        path: "/api/plugins/{id}/logs",
        needs: Needs::Perm(Permission::PluginsRead),
        ok: 200,
    },
    Case {
        method: "get",
        path: "/api/plugins/{id}/telemetry",
        needs: Needs::Perm(Permission::PluginsRead),
        ok: 200,
    },
    Case {
        method: "post",
        path: "/api/plugins/{id}/start",
        needs: Needs::Perm(Permission::PluginsLifecycle),
        ok: 200,
    },
    Case {
        method: "post",
        path: "/api/plugins/{id}/restart",
        needs: Needs::Perm(Permission::PluginsLifecycle),
        ok: 200,
    },
    Case {
        method: "post",
        path: "/api/plugins/{id}/config",
        needs: Needs::Perm(Permission::PluginsConfigure),
        ok: 200,
    },
    Case {
        method: "post",
        path: "/api/plugins/{id}/invoke/{capability}",
        needs: Needs::Perm(Permission::PluginsInvoke),
        ok: 200,
    },
    Case {
        method: "post",
        path: "/api/plugins/{id}/stop",
        needs: Needs::Perm(Permission::PluginsLifecycle),
        ok: 200,
    },
    // The matrix plugin declares no runtime: 409 once permitted.
    Case {
        method: "post",
        path: "/api/plugins/{id}/install",
        needs: Needs::Perm(Permission::PluginsAdmin),
        ok: 409,
    },
    // A body that is not a tar archive: 400 once permitted.
    Case {
        method: "put",
        path: "/api/plugins/{id}/bundle",
        needs: Needs::Perm(Permission::PluginsAdmin),
        ok: 400,
    },
    Case {
        method: "post",
        path: "/api/plugins/reload",
        needs: Needs::Perm(Permission::PluginsAdmin),
        ok: 200,
    },
    Case { method: "post", path: "/auth/login", needs: Needs::Public, ok: 200 },
    Case { method: "post", path: "/auth/refresh", needs: Needs::Public, ok: 200 },
    Case { method: "get", path: "/auth/me", needs: Needs::Authenticated, ok: 200 },
    // With a wrong current password on purpose: 403 for every authenticated caller.
    Case { method: "post", path: "/auth/password", needs: Needs::Authenticated, ok: 403 },
    Case { method: "get", path: "/admin/users", needs: Needs::Perm(Permission::UsersRead), ok: 200 },
    Case { method: "post", path: "/admin/users", needs: Needs::Perm(Permission::UsersWrite), ok: 201 },
    Case { method: "put", path: "/admin/users/{id}", needs: Needs::Perm(Permission::UsersWrite), ok: 200 },
    Case { method: "delete", path: "/admin/users/{id}", needs: Needs::Perm(Permission::UsersWrite), ok: 204 },
    Case { method: "get", path: "/admin/api-keys", needs: Needs::Perm(Permission::KeysOwn), ok: 200 },
    Case { method: "post", path: "/admin/api-keys", needs: Needs::Perm(Permission::KeysOwn), ok: 201 },
    Case { method: "put", path: "/admin/api-keys/{id}", needs: Needs::Perm(Permission::KeysOwn), ok: 200 },
    Case { method: "patch", path: "/admin/api-keys/{id}", needs: Needs::Perm(Permission::KeysOwn), ok: 200 },
    Case {
        method: "post",
        path: "/admin/api-keys/{id}/rotate",
        needs: Needs::Perm(Permission::KeysOwn),
        ok: 200,
    },
    Case { method: "delete", path: "/admin/api-keys/{id}", needs: Needs::Perm(Permission::KeysOwn), ok: 204 },
    Case { method: "get", path: "/admin/audit", needs: Needs::Perm(Permission::AuditRead), ok: 200 },
    Case { method: "get", path: "/admin/config", needs: Needs::Perm(Permission::ConfigRead), ok: 200 },
    Case {
        method: "get",
        path: "/api/analytics/usage",
        needs: Needs::Perm(Permission::AnalyticsRead),
        ok: 200,
    },
    // Login sessions only (API keys get 403, see `expected`).
    Case { method: "get", path: "/auth/sessions", needs: Needs::Authenticated, ok: 200 },
    // An id that is no session of the caller's on purpose: 404 for every logged-in caller.
    Case { method: "delete", path: "/auth/sessions/{id}", needs: Needs::Authenticated, ok: 404 },
    Case { method: "get", path: "/api/models", needs: Needs::Perm(Permission::ModelsRead), ok: 200 },
    Case { method: "get", path: "/api/models/{id}", needs: Needs::Perm(Permission::ModelsRead), ok: 200 },
    // With a repo name that is not `org/name` on purpose (no hub here): 400 when permitted.
    Case {
        method: "post",
        path: "/api/models/download",
        needs: Needs::Perm(Permission::ModelsWrite),
        ok: 400,
    },
    Case {
        method: "post",
        path: "/api/models/import",
        needs: Needs::Perm(Permission::ModelsImport),
        ok: 201,
    },
    Case {
        method: "post",
        path: "/api/models/{id}/validate",
        needs: Needs::Perm(Permission::ModelsWrite),
        ok: 200,
    },
    Case { method: "delete", path: "/api/models/{id}", needs: Needs::Perm(Permission::ModelsWrite), ok: 204 },
    // The matrix daemon has no llmserver plugin: 404 (plugin_not_found) once permitted.
    Case {
        method: "post",
        path: "/v1/chat/completions",
        needs: Needs::Perm(Permission::PluginsInvoke),
        ok: 404,
    },
    Case { method: "post", path: "/v1/embeddings", needs: Needs::Perm(Permission::PluginsInvoke), ok: 404 },
    Case { method: "get", path: "/v1/models", needs: Needs::Perm(Permission::PluginsInvoke), ok: 404 },
    // Last: it ends the caller's session. API keys have no session to end (403).
    Case { method: "post", path: "/auth/logout", needs: Needs::Authenticated, ok: 204 },
];

/// The test plugin's capabilities with the permission its manifest adds to `plugins:invoke`
/// (`PERMISSIONS` below), and an input each accepts.
const CAPABILITIES: &[(&str, Option<Permission>, &str)] = &[
    ("echo", None, "{}"),
    ("whoami", Some(Permission::PluginsAdmin), "{}"),
    ("store", Some(Permission::DocumentsWrite), r#"{"collection": "c", "texts": ["a"]}"#),
];
const PERMISSIONS: &str = "[permissions]\nwhoami = \"plugins:admin\"\nstore = \"documents:write\"\n";

fn expected(case: &Case, caller: &Caller) -> u16 {
    match (case.needs, caller.role) {
        (Needs::Public, _) => case.ok,
        (_, None) => 401,
        (Needs::Authenticated, Some(_))
            if (case.path == "/auth/logout" || case.path.starts_with("/auth/sessions")) && !caller.jwt =>
        {
            403
        }
        (Needs::Authenticated, Some(_)) => case.ok,
        (Needs::Perm(p), Some(role)) => {
            if role.can(p) {
                case.ok
            } else {
                403
            }
        }
    }
}

/// Builds a valid request for `case` as `caller`, preparing what it needs with the admin.
async fn request(d: &TestDaemon, case: &Case, caller: &Caller, n: usize) -> reqwest::RequestBuilder {
    let http = d.http_anonymous();
    let method = reqwest::Method::from_bytes(case.method.to_uppercase().as_bytes()).unwrap();
    let mut path = case.path.replace("{capability}", "echo");
    let mut body: Option<Value> = None;
    match case.path {
        "/api/plugins/{id}/bundle" => {
            path = path.replace("{id}", "not-yet-installed");
            body = Some(json!({}));
        }
        p if p.starts_with("/api/plugins/{id}") => {
            path = path.replace("{id}", "p");
            if p.ends_with("/invoke/{capability}") {
                d.client.start("p").await.unwrap();
                body = Some(json!({}));
            }
            if p.ends_with("/config") {
                body = Some(json!({}));
            }
        }
        "/auth/login" => body = Some(json!({"username": "admin", "password": ADMIN_PASSWORD})),
        "/auth/refresh" => {
            let t = d.anonymous.login("admin", ADMIN_PASSWORD).await.unwrap();
            body = Some(json!({"refreshToken": t.refresh_token}));
        }
        "/auth/password" => {
            body = Some(json!({"currentPassword": "not-the-password", "newPassword": "a new long password"}))
        }
        "/auth/logout" => body = Some(json!({})),
        "/auth/sessions/{id}" => path = path.replace("{id}", "no-such-session"),
        "/admin/users" if case.method == "post" => {
            body = Some(
                json!({"username": format!("made-{}-{n}", caller.name), "password": "long enough password", "role": "readonly"}),
            );
        }
        "/admin/users/{id}" => {
            let u = d
                .client
                .create_user(&bkg_core::auth::CreateUser {
                    username: format!("target-{}-{}-{n}", case.method, caller.name),
                    password: "long enough password".into(),
                    role: Role::Readonly,
                })
                .await
                .unwrap();
            path = path.replace("{id}", &u.id);
            if case.method == "put" {
                body = Some(json!({"role": "developer"}));
            }
        }
        "/admin/api-keys" if case.method == "post" => {
            body = Some(json!({"name": format!("k-{}-{n}", caller.name)}))
        }
        p if p.starts_with("/admin/api-keys/{id}") => {
            // A key of the caller's own user (others' keys are "not found" to non-admins).
            let key = d
                .client
                .create_api_key(&CreateApiKey {
                    name: format!("target-{n}"),
                    user_id: Some(caller.user_id.clone()),
                    role: Some(Role::Readonly),
                    ..Default::default()
                })
                .await
                .unwrap();
            path = path.replace("{id}", &key.key.id);
            if matches!(case.method, "put" | "patch") {
                body = Some(json!({"name": "renamed"}));
            }
            if p.ends_with("/rotate") {
                body = Some(json!({}));
            }
        }
        "/api/models/download" => body = Some(json!({"repo": "not-a-repo"})),
        "/v1/chat/completions" => {
            body = Some(json!({"model": "m", "messages": [{"role": "user", "content": "hi"}]}))
        }
        "/v1/embeddings" => body = Some(json!({"model": "m", "input": "hi"})),
        "/api/models/import" => {
            body = Some(json!({"path": model_folder(d), "repo": format!("local/m-{}-{n}", caller.name)}));
        }
        p if p.starts_with("/api/models/{id}") => {
            let req = bkg_core::models::ImportRequest {
                path: model_folder(d),
                repo: Some(format!("local/t-{}-{}-{n}", case.method, caller.name)),
                revision: None,
            };
            let model = d.client.import_model(&req).await.unwrap();
            path = path.replace("{id}", &model.id);
            if p.ends_with("/validate") {
                body = Some(json!({}));
            }
        }
        _ => {}
    }
    let mut req = http.request(method, d.url(&path));
    if let Some(t) = &caller.token {
        req = req.bearer_auth(t);
    }
    if let Some(b) = body {
        req = req.json(&b);
    }
    req
}

/// A one-file model folder to import.
fn model_folder(d: &TestDaemon) -> String {
    let dir = d.root.join("matrix-model");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("config.json"), "{}").unwrap();
    dir.display().to_string()
}

async fn callers(d: &TestDaemon) -> Vec<Caller> {
    let admin_id = d.client.me().await.unwrap().user.id;
    let mut out =
        vec![Caller { name: "anonymous", token: None, role: None, jwt: false, user_id: admin_id.clone() }];
    for (name, role) in
        [("readonly", Role::Readonly), ("developer", Role::Developer), ("admin2", Role::Admin)]
    {
        let c = d.user(name, role).await;
        let me = c.me().await.unwrap();
        out.push(Caller {
            name,
            token: c.token().map(str::to_owned),
            role: Some(role),
            jwt: true,
            user_id: me.user.id,
        });
    }
    for (name, role) in
        [("key-readonly", Role::Readonly), ("key-developer", Role::Developer), ("key-admin", Role::Admin)]
    {
        let k = d
            .client
            .create_api_key(&CreateApiKey { name: name.into(), role: Some(role), ..Default::default() })
            .await
            .unwrap();
        out.push(Caller {
            name,
            token: Some(k.secret),
            role: Some(role),
            jwt: false,
            user_id: admin_id.clone(),
        });
    }
    // A token signed with the daemon's key, for a live session, but expired an hour ago.
    let me = d.client.me().await.unwrap();
    let now = chrono::Utc::now().timestamp() as u64;
    let claims = json!({
        "sub": me.user.id, "sid": me.session_id.unwrap(), "jti": "x", "iss": "bkgd", "aud": "bkg",
        "iat": now - 7200, "nbf": now - 7200, "exp": now - 3600,
    });
    let expired =
        jsonwebtoken::encode(&Header::default(), &claims, &EncodingKey::from_secret(JWT_SECRET.as_bytes()))
            .unwrap();
    out.push(Caller {
        name: "expired-token",
        token: Some(expired),
        role: None,
        jwt: true,
        user_id: admin_id.clone(),
    });
    let k = d
        .client
        .create_api_key(&CreateApiKey { name: "revoked".into(), ..Default::default() })
        .await
        .unwrap();
    d.client.delete_api_key(&k.key.id).await.unwrap();
    out.push(Caller {
        name: "revoked-key",
        token: Some(k.secret),
        role: None,
        jwt: false,
        user_id: admin_id,
    });
    out
}

#[tokio::test(flavor = "multi_thread")]
async fn every_route_and_principal_gets_exactly_the_documented_status() {
    let d = daemon()
        .plugin("p", &["serve"], PERMISSIONS)
        .config(|c| c.auth.jwt_secret = JWT_SECRET.into())
        .start()
        .await;

    // Every documented route has a case, and every case a documented route.
    let doc: Value =
        d.http_anonymous().get(d.url("/api/openapi.json")).send().await.unwrap().json().await.unwrap();
    let documented: BTreeSet<(String, String)> = doc["paths"]
        .as_object()
        .unwrap()
        .iter()
        .flat_map(|(path, ops)| ops.as_object().unwrap().keys().map(move |m| (m.clone(), path.clone())))
        .collect();
    let cased: BTreeSet<(String, String)> =
        CASES.iter().map(|c| (c.method.to_string(), c.path.to_string())).collect();
    assert_eq!(documented, cased, "routes without a matrix case (or cases without a route)");
    // And the public ones are exactly the daemon's own list.
    let public: BTreeSet<(String, String)> = CASES
        .iter()
        .filter(|c| matches!(c.needs, Needs::Public))
        .map(|c| (c.method.into(), c.path.into()))
        .collect();
    let declared: BTreeSet<(String, String)> =
        bkgd::api::PUBLIC_ROUTES.iter().map(|(m, p)| (m.to_string(), p.to_string())).collect();
    assert_eq!(public, declared);

    let callers = callers(&d).await;
    let mut failures = Vec::new();
    d.client.start("p").await.unwrap();
    for (capability, extra, input) in CAPABILITIES {
        for caller in &callers {
            let want = match caller.role {
                None => 401,
                Some(r) if r.can(Permission::PluginsInvoke) && extra.is_none_or(|p| r.can(p)) => 200,
                Some(_) => 403,
            };
            let mut req = d.http_anonymous().post(d.url(&format!("/api/plugins/p/invoke/{capability}")));
            if let Some(t) = &caller.token {
                req = req.bearer_auth(t);
            }
            let input: Value = serde_json::from_str(input).unwrap();
            let status = req.json(&input).send().await.unwrap().status().as_u16();
            if status != want {
                failures.push(format!("invoke {capability} as {}: got {status}, want {want}", caller.name));
            }
        }
    }
    for (n, case) in CASES.iter().enumerate() {
        for caller in &callers {
            let status = request(&d, case, caller, n).await.send().await.unwrap().status().as_u16();
            let want = expected(case, caller);
            if status != want {
                failures.push(format!(
                    "{} {} as {}: got {status}, want {want}",
                    case.method, case.path, caller.name
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{} cells differ:\n{}", failures.len(), failures.join("\n"));
}

#[tokio::test(flavor = "multi_thread")]
async fn the_websocket_authenticates_before_the_upgrade() {
    let d = daemon().start().await;
    let err = d.anonymous.ws().await.unwrap_err();
    assert_eq!(err.status(), Some(401));
    let ro = d.user("viewer", Role::Readonly).await;
    assert!(ro.ws().await.is_ok());
    let k = d.client.create_api_key(&CreateApiKey { name: "ws".into(), ..Default::default() }).await.unwrap();
    let key = d.anonymous.clone().with_token(&k.secret);
    let ws = key.ws().await.unwrap();
    d.client.delete_api_key(&k.key.id).await.unwrap();
    let mut ws = ws;
    assert_eq!(ws.wait_close().await, Some(1008), "deleting the key closes its connection");
    assert_eq!(key.ws().await.unwrap_err().status(), Some(401));
}
