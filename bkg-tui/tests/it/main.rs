//! End-to-end tests of bkg-tui in tmux against a real bkgd (added with the e2e suite).
