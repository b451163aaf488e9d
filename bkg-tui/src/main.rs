fn main() -> std::process::ExitCode {
    bkg_tui::main()
}
