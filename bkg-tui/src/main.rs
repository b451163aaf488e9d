//! The `bkg-tui` binary: everything is in the library, so tests and the generator see the
//! same definitions.

fn main() -> std::process::ExitCode {
    bkg_tui::main()
}
