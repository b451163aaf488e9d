//! Compiles `src/dlib/shim.cpp` against Debian's dlib (`libdlib-dev`) and links it with dlib
//! and OpenBLAS (`libopenblas-dev`), twice: for the baseline x86-64 (SSE2) and, on x86-64, for
//! CPUs with AVX2 and FMA, where dlib's HOG detector (header templates, compiled here) runs
//! about 1.4 times as fast. `engine.rs` picks the variant at run time, so one binary is portable
//! and fast. Every symbol the AVX2 object defines is renamed with the prefix `rfavx2_`
//! (objcopy), so that its copies of dlib's inline templates stay its own instead of being merged
//! with the baseline ones by the linker. The shim is always optimised (-O3, some 8% faster than
//! -O2 here): in a debug build dlib's templates would make detection some 30 times slower.

use std::path::{Path, PathBuf};
use std::process::Command;

fn build(avx2: bool) -> cc::Build {
    let mut b = cc::Build::new();
    b.cpp(true).file("src/dlib/shim.cpp").flag("-std=c++17").opt_level(3).debug(false).warnings(false);
    if avx2 {
        b.flag("-mavx2").flag("-mfma").define("DLIB_HAVE_SSE2", None).define("DLIB_HAVE_SSE3", None);
        b.define("DLIB_HAVE_SSE41", None).define("DLIB_HAVE_AVX", None);
    }
    b
}

fn fail(what: &str, e: impl std::fmt::Display) -> ! {
    panic!(
        "cannot build rustyface's dlib bridge ({what}: {e}). It needs Debian's dlib, OpenBLAS and \
         binutils: apt-get install libdlib-dev libopenblas-dev binutils (or `make system-deps`)"
    )
}

fn run(cmd: &mut Command) -> Vec<u8> {
    let out = cmd.output().unwrap_or_else(|e| fail(&format!("{cmd:?}"), e));
    if !out.status.success() {
        fail(&format!("{cmd:?}"), String::from_utf8_lossy(&out.stderr));
    }
    out.stdout
}

/// Renames every symbol `obj` defines (globally or weakly) to `rfavx2_<name>`, so the object
/// keeps its own copies of every inline function.
fn prefix_defined(obj: &Path, out_dir: &Path) -> PathBuf {
    let names = run(Command::new("nm").args(["--defined-only", "--extern-only", "--format=posix"]).arg(obj));
    let map: String = String::from_utf8_lossy(&names)
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .map(|s| format!("{s} rfavx2_{s}\n"))
        .collect();
    let map_file = out_dir.join("avx2.syms");
    std::fs::write(&map_file, map).unwrap_or_else(|e| fail("write the symbol map", e));
    let renamed = out_dir.join("shim_avx2.o");
    // Its COMDAT groups go too: a group named after no symbol (a constructor's or destructor's
    // `C5`/`D5` group) would still be merged with the baseline's, dropping the renamed code.
    run(Command::new("objcopy")
        .arg(format!("--redefine-syms={}", map_file.display()))
        .args(["--remove-section", ".group"])
        .arg(obj)
        .arg(&renamed));
    renamed
}

fn main() {
    println!("cargo:rerun-if-changed=src/dlib/shim.cpp");
    let out_dir = PathBuf::from(std::env::var_os("OUT_DIR").unwrap_or_default());
    let x86_64 = std::env::var("CARGO_CFG_TARGET_ARCH").is_ok_and(|a| a == "x86_64");
    let mut objects = build(false).try_compile_intermediates().unwrap_or_else(|e| fail("compile", e));
    if x86_64 {
        let avx2 = build(true).out_dir(out_dir.join("avx2")).try_compile_intermediates();
        for obj in avx2.unwrap_or_else(|e| fail("compile the AVX2 variant", e)) {
            objects.push(prefix_defined(&obj, &out_dir));
        }
        println!("cargo:rustc-cfg=rustyface_avx2");
    }
    println!("cargo:rustc-check-cfg=cfg(rustyface_avx2)");
    let lib = out_dir.join("librustyface_dlib.a");
    let _ = std::fs::remove_file(&lib);
    run(Command::new("ar").arg("crs").arg(&lib).args(&objects));
    println!("cargo:rustc-link-search=native={}", out_dir.display());
    println!("cargo:rustc-link-lib=static=rustyface_dlib");
    for lib in ["dlib", "openblas", "lapack", "stdc++"] {
        println!("cargo:rustc-link-lib={lib}");
    }
}
