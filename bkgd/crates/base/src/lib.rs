//! The foundation of bkgd: `config` (one struct filled in layers; the only reader of the
//! environment), `error` (what the domain answers when a request cannot be done), `private_fs`
//! (folders 0700 and files 0600 whatever the umask). Depends on no other part of bkgd.

pub mod config;
pub mod error;
pub mod private_fs;
