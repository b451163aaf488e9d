//! The foundation of bkgd: `config` (one struct filled in layers; the only reader of the
//! environment), `error` (what the domain answers when a request cannot be done), `private_fs`
//! (folders 0700 and files 0600 whatever the umask), `memory` (freed heap memory handed back
//! to the kernel after a burst of work). Depends on no other part of bkgd.

pub mod config;
pub mod error;
pub mod memory;
pub mod private_fs;
