//! Finding the one object a user named by id or by name (API keys, users), from a list.

use crate::exit::{Exit, Fail};

/// The one item whose id is `name`, or else whose name is `name`.
pub fn pick<T>(
    items: Vec<T>,
    name: &str,
    what: &str,
    keys: impl Fn(&T) -> (&String, &String),
) -> anyhow::Result<T> {
    let mut by_id = None;
    let mut by_name = Vec::new();
    for item in items {
        let (id, n) = keys(&item);
        if id == name {
            by_id = Some(item);
        } else if n == name {
            by_name.push(item);
        }
    }
    if let Some(item) = by_id {
        return Ok(item);
    }
    match by_name.len() {
        1 => Ok(by_name.remove(0)),
        0 => Err(Fail::new(Exit::NotFound, format!("no {what} with id or name {name:?}")).into()),
        n => Err(Fail::usage(format!("{n} {what}s are named {name:?}; use the id")).into()),
    }
}
