//! The exit-code scheme and the one place errors are printed.
//!
//! The codes and their meanings are in [`TABLE`], which `--help`, the man pages and the README
//! show; 0 is success, 1 a general error, 2 usage, 3 auth, 4 not found, 5 conflict, 6
//! unreachable, 130 Ctrl-C.
//!
//! API errors are classified by HTTP status, not by code, so codes the daemon adds later fall
//! into the right class without a bkgctl release.

use std::process::ExitCode;

use bkg_core::client::ClientError;
use bkg_core::client::config::ConfigError;

/// What a command's outcome means to a calling script.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    Ok = 0,
    Failure = 1,
    Usage = 2,
    Auth = 3,
    NotFound = 4,
    Conflict = 5,
    Unreachable = 6,
    Interrupted = 130,
}

/// Every exit code with its meaning, for `--help`, the man pages and the README.
pub const TABLE: &[(u8, &str)] = &[
    (0, "success"),
    (1, "any other error (a plugin or a download failed, an unexpected answer)"),
    (2, "usage: bad flags or arguments, or input the daemon rejected as malformed (400, 422)"),
    (3, "not authenticated (401), or not allowed (403)"),
    (4, "not found (404)"),
    (5, "conflict with the current state (409), e.g. invoking a stopped plugin"),
    (6, "the daemon is unreachable or unavailable (connection failed, 503)"),
    (
        130,
        "interrupted by Ctrl-C; work the daemon already accepted goes on there (a log follow, which only ends that way, exits 0)",
    ),
];

impl From<Exit> for ExitCode {
    fn from(e: Exit) -> Self {
        ExitCode::from(e as u8)
    }
}

/// An error raised by bkgctl itself that knows its exit class (bad local input, a missing
/// login, a plugin that ended up failed).
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct Fail {
    pub exit: Exit,
    pub message: String,
}

impl Fail {
    pub fn new(exit: Exit, message: impl Into<String>) -> Self {
        Self { exit, message: message.into() }
    }

    pub fn usage(message: impl Into<String>) -> Self {
        Self::new(Exit::Usage, message)
    }
}

/// The exit class of an API error.
pub fn of_client_error(e: &ClientError) -> Exit {
    match e {
        ClientError::Api { status, .. } => match status {
            400 | 422 => Exit::Usage,
            401 | 403 => Exit::Auth,
            404 => Exit::NotFound,
            409 => Exit::Conflict,
            503 => Exit::Unreachable,
            _ => Exit::Failure,
        },
        ClientError::Unreachable { .. } => Exit::Unreachable,
        ClientError::BadUrl(..) => Exit::Usage,
        ClientError::Protocol(_) => Exit::Failure,
    }
}

/// The exit class of any error: the first cause that knows its class decides.
pub fn classify(err: &anyhow::Error) -> Exit {
    for cause in err.chain() {
        if let Some(f) = cause.downcast_ref::<Fail>() {
            return f.exit;
        }
        if let Some(c) = cause.downcast_ref::<ClientError>() {
            return of_client_error(c);
        }
        if let Some(ConfigError::Invalid(_)) = cause.downcast_ref::<ConfigError>() {
            return Exit::Usage;
        }
    }
    Exit::Failure
}

/// Whether the error is only a closed stdout (`bkgctl ... | head`): not worth a message.
pub fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|c| {
        c.downcast_ref::<std::io::Error>().is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

/// Prints the error (with the daemon's code and message when it sent one) and a hint on
/// stderr, and returns the exit code.
pub fn report(err: &anyhow::Error) -> ExitCode {
    if is_broken_pipe(err) {
        return Exit::Ok.into();
    }
    let exit = classify(err);
    eprintln!("bkgctl: error: {err:#}");
    if let Some(details) = api_details(err) {
        for line in details {
            eprintln!("  {line}");
        }
    }
    if let Some(hint) = hint(exit, err) {
        eprintln!("hint: {hint}");
    }
    exit.into()
}

/// The daemon's `details`, one line each (for a schema violation: the path and the problem).
fn api_details(err: &anyhow::Error) -> Option<Vec<String>> {
    let details = err.chain().find_map(|c| match c.downcast_ref::<ClientError>() {
        Some(ClientError::Api { body, .. }) => body.details.clone(),
        _ => None,
    })?;
    let lines = match &details {
        serde_json::Value::Array(items) => items
            .iter()
            .map(|item| match (item.get("path"), item.get("message")) {
                (Some(p), Some(m)) => {
                    format!("at {}: {}", p.as_str().unwrap_or("/"), m.as_str().unwrap_or_default())
                }
                _ => item.to_string(),
            })
            .collect(),
        // Objects carry context the message already states, except lists of alternatives
        // (e.g. the capabilities a plugin does have).
        serde_json::Value::Object(map) => map
            .iter()
            .filter_map(|(k, v)| {
                let items = v.as_array()?.iter().map(|i| i.as_str()).collect::<Option<Vec<_>>>()?;
                Some(format!("{k}: {}", items.join(", ")))
            })
            .collect(),
        _ => Vec::new(),
    };
    Some(lines)
}

fn hint(exit: Exit, err: &anyhow::Error) -> Option<&'static str> {
    let status = err.chain().find_map(|c| c.downcast_ref::<ClientError>().and_then(ClientError::status));
    match (exit, status) {
        (Exit::Auth, Some(401)) => Some("log in with `bkgctl login`, or set BKG_TOKEN to an API key"),
        (Exit::Auth, Some(403)) => Some("your role lacks the permission; `bkgctl whoami` shows yours"),
        (Exit::Unreachable, None) => {
            Some("is bkgd running there? choose the server with --server, BKG_URL or `bkgctl context use`")
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use bkg_core::{ErrorBody, ErrorCode};

    use super::*;

    fn api(status: u16) -> anyhow::Error {
        ClientError::Api { status, body: ErrorBody::new(ErrorCode::Internal, "x") }.into()
    }

    #[test]
    fn statuses_map_to_classes() {
        assert_eq!(classify(&api(401)), Exit::Auth);
        assert_eq!(classify(&api(403)), Exit::Auth);
        assert_eq!(classify(&api(404)), Exit::NotFound);
        assert_eq!(classify(&api(409)), Exit::Conflict);
        assert_eq!(classify(&api(400)), Exit::Usage);
        assert_eq!(classify(&api(502)), Exit::Failure);
        assert_eq!(classify(&api(503)), Exit::Unreachable);
    }

    #[test]
    fn context_keeps_the_class() {
        let e = api(404).context("showing plugin x");
        assert_eq!(classify(&e), Exit::NotFound);
        let e = anyhow::Error::from(Fail::usage("bad")).context("parsing");
        assert_eq!(classify(&e), Exit::Usage);
    }
}
