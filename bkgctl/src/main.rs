//! The `bkgctl` binary; everything lives in the library so tests and the generator of
//! completions and man pages see the same clap definitions.

fn main() -> std::process::ExitCode {
    bkgctl::main()
}
