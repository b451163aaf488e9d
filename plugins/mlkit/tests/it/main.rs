//! Integration tests of bkg-mlkit on the real models (fetched by `scripts/fetch-test-models`)
//! against the committed reference outputs in `tests/reference/`.

mod chat;
mod common;
mod embed;
mod errors;
