//! rustyface's engine, image decoding and gallery, as a library so that the parity tests and
//! `bkg-bench faces` use exactly what the plugin (`main.rs`) runs.

pub mod engine;
pub mod gallery;
pub mod picture;
