//! Compiles `src/dlib/shim.cpp` against Debian's dlib (`libdlib-dev`) and links it with dlib
//! and OpenBLAS (`libopenblas-dev`). The shim is always optimised: in a debug build dlib's
//! templates would make face detection some 30 times slower.

fn main() {
    println!("cargo:rerun-if-changed=src/dlib/shim.cpp");
    let mut build = cc::Build::new();
    build.cpp(true).file("src/dlib/shim.cpp").flag("-std=c++14").opt_level(2).debug(false).warnings(false);
    if let Err(e) = build.try_compile("rustyface_dlib") {
        panic!(
            "cannot compile rustyface's dlib bridge ({e}). It needs Debian's dlib and OpenBLAS: \
             apt-get install libdlib-dev libopenblas-dev"
        );
    }
    for lib in ["dlib", "openblas", "lapack", "stdc++"] {
        println!("cargo:rustc-link-lib={lib}");
    }
}
