//! Users, API keys, the audit log and `whoami`.

use bkg_core::auth::{ApiKey, ApiKeyList, ApiKeySecret, AuditPage, Me, User, UserList};
use comfy_table::Cell;

use crate::output::table::{self, Tone};
use crate::output::{Render, Style, human};

impl Render for UserList {
    fn human(&self, style: &Style) -> String {
        let rows = self
            .users
            .iter()
            .map(|u| {
                vec![
                    Cell::new(&u.id),
                    Cell::new(&u.username),
                    Cell::new(u.role),
                    enabled(style, !u.disabled),
                    Cell::new(human::ago(u.created_at)),
                ]
            })
            .collect();
        table::list(style, &["ID", "USERNAME", "ROLE", "ENABLED", "CREATED"], rows)
    }

    fn ids(&self) -> Vec<String> {
        self.users.iter().map(|u| u.id.clone()).collect()
    }
}

fn enabled(style: &Style, on: bool) -> Cell {
    if on { table::tone(style, "yes", Tone::Plain) } else { table::tone(style, "no", Tone::Bad) }
}

impl Render for User {
    fn human(&self, style: &Style) -> String {
        table::pairs(
            style,
            vec![
                ("ID", Cell::new(&self.id)),
                ("USERNAME", Cell::new(&self.username)),
                ("ROLE", Cell::new(self.role)),
                ("ENABLED", enabled(style, !self.disabled)),
                ("CREATED", Cell::new(human::ago(self.created_at))),
                ("UPDATED", Cell::new(human::ago(self.updated_at))),
            ],
        )
    }

    fn ids(&self) -> Vec<String> {
        vec![self.id.clone()]
    }
}

fn expiry(k: &ApiKey) -> String {
    k.expires_at.map(human::ago).unwrap_or_else(|| "never".into())
}

impl Render for ApiKeyList {
    fn human(&self, style: &Style) -> String {
        let rows = self
            .keys
            .iter()
            .map(|k| {
                vec![
                    Cell::new(&k.id),
                    Cell::new(&k.name),
                    Cell::new(&k.prefix),
                    Cell::new(&k.username),
                    Cell::new(k.role),
                    enabled(style, k.enabled),
                    Cell::new(expiry(k)),
                    table::opt(k.last_used_at.map(human::ago)),
                ]
            })
            .collect();
        table::list(
            style,
            &["ID", "NAME", "PREFIX", "OWNER", "ROLE", "ENABLED", "EXPIRES", "LAST USED"],
            rows,
        )
    }

    fn ids(&self) -> Vec<String> {
        self.keys.iter().map(|k| k.id.clone()).collect()
    }
}

impl Render for ApiKey {
    fn human(&self, style: &Style) -> String {
        let scopes = if self.scopes.is_empty() {
            "all of the role".to_string()
        } else {
            self.scopes.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(", ")
        };
        let mut rows = vec![
            ("ID", Cell::new(&self.id)),
            ("NAME", Cell::new(&self.name)),
            ("PREFIX", Cell::new(&self.prefix)),
            ("OWNER", Cell::new(&self.username)),
            ("ROLE", Cell::new(self.role)),
            ("SCOPES", Cell::new(scopes)),
            ("ENABLED", enabled(style, self.enabled)),
            ("EXPIRES", Cell::new(expiry(self))),
            ("LAST USED", table::opt(self.last_used_at.map(human::ago))),
        ];
        if let Some(until) = self.previous_valid_until {
            rows.push(("OLD SECRET UNTIL", Cell::new(human::timestamp(until))));
        }
        table::pairs(style, rows)
    }

    fn ids(&self) -> Vec<String> {
        vec![self.id.clone()]
    }
}

/// The secret is the one thing a script can never get again, so `--quiet` prints it rather
/// than the id; tables print it under the key, and the command says on stderr that it is
/// shown once.
impl Render for ApiKeySecret {
    fn human(&self, style: &Style) -> String {
        let mut text = self.key.human(style);
        text.push_str(&format!("\nsecret: {}\n", self.secret));
        text
    }

    fn ids(&self) -> Vec<String> {
        vec![self.secret.clone()]
    }
}

impl Render for AuditPage {
    fn human(&self, style: &Style) -> String {
        let rows = self
            .events
            .iter()
            .map(|e| {
                let tone = if e.outcome == "success" { Tone::Plain } else { Tone::Bad };
                vec![
                    Cell::new(e.id),
                    Cell::new(human::timestamp(e.ts)),
                    Cell::new(&e.action),
                    table::opt(e.actor.as_ref()),
                    table::opt(e.target.as_ref()),
                    table::tone(style, &e.outcome, tone),
                ]
            })
            .collect();
        table::list(style, &["ID", "TIME", "ACTION", "ACTOR", "TARGET", "OUTCOME"], rows)
    }

    fn ids(&self) -> Vec<String> {
        self.events.iter().map(|e| e.id.to_string()).collect()
    }
}

impl Render for Me {
    fn human(&self, style: &Style) -> String {
        let method = match self.method {
            bkg_core::auth::AuthMethod::Jwt => "login session".to_string(),
            bkg_core::auth::AuthMethod::ApiKey => {
                format!("API key {}", self.key_id.as_deref().unwrap_or("?"))
            }
        };
        let permissions = self.permissions.iter().map(|p| p.as_str()).collect::<Vec<_>>().join(", ");
        table::pairs(
            style,
            vec![
                ("USER", Cell::new(&self.user.username)),
                ("ID", Cell::new(&self.user.id)),
                ("ROLE", Cell::new(self.role)),
                ("VIA", Cell::new(method)),
                ("PERMISSIONS", Cell::new(permissions)),
            ],
        )
    }

    fn ids(&self) -> Vec<String> {
        vec![self.user.id.clone()]
    }
}
