//! The face engine: dlib's HOG and MMOD-CNN detectors, its 5-point landmark model and its
//! ResNet encoder, called through `dlib/shim.cpp` exactly as face_recognition calls them.
//!
//! An [`Engine`] holds one copy of the models and is used by one thread at a time (dlib's
//! networks keep per-call buffers). A [`Pool`] lends engines to blocking tasks, loading one
//! more (up to `threads`) only when every loaded one is busy, so an idle plugin holds one set of
//! models, and a batch runs on as many cores as it was given.
//!
//! This is the one module of rustyface with `unsafe`: the FFI calls, each with its contract.
#![allow(unsafe_code)]

use std::ffi::{CStr, CString, c_char};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use image::RgbImage;
use parking_lot::Mutex;
use serde::{Deserialize, Serialize};

/// The model files, as `face-recognition-models` 0.3.0 ships them.
pub const LANDMARKS_FILE: &str = "shape_predictor_5_face_landmarks.dat";
pub const ENCODER_FILE: &str = "dlib_face_recognition_resnet_model_v1.dat";
pub const CNN_FILE: &str = "mmod_human_face_detector.dat";

#[repr(C)]
struct RfEngine {
    _private: [u8; 0],
}

#[repr(C)]
#[derive(Clone, Copy, Default)]
struct RfRect {
    left: i64,
    top: i64,
    right: i64,
    bottom: i64,
    confidence: f64,
}

/// The shim's C ABI, declared once per compiled variant (see `build.rs`).
macro_rules! shim_abi {
    ($block:ident, $load:literal, $free:literal, $detect:literal, $encode:literal, $jpeg:literal) => {
        // The AVX2 variant's `decode_jpeg` is never called: libjpeg does that work either way.
        #[allow(dead_code)]
        mod $block {
            use super::{RfEngine, RfRect, c_char};
            unsafe extern "C" {
                #[link_name = $load]
                pub fn load(
                    landmarks: *const c_char,
                    encoder: *const c_char,
                    cnn: *const c_char,
                    err: *mut c_char,
                    err_len: usize,
                ) -> *mut RfEngine;
                #[link_name = $free]
                pub fn free(e: *mut RfEngine);
                #[link_name = $detect]
                pub fn detect(
                    e: *mut RfEngine,
                    rgb: *const u8,
                    w: i64,
                    h: i64,
                    upsample: i32,
                    use_cnn: i32,
                    out: *mut RfRect,
                    max: i64,
                    err: *mut c_char,
                    err_len: usize,
                ) -> i64;
                #[link_name = $encode]
                pub fn encode(
                    e: *mut RfEngine,
                    rgb: *const u8,
                    w: i64,
                    h: i64,
                    faces: *const RfRect,
                    n: i64,
                    jitters: i32,
                    points: *mut i64,
                    encodings: *mut f32,
                    err: *mut c_char,
                    err_len: usize,
                ) -> i32;
                #[link_name = $jpeg]
                pub fn decode_jpeg(
                    data: *const u8,
                    len: usize,
                    w: i64,
                    h: i64,
                    out: *mut u8,
                    err: *mut c_char,
                    err_len: usize,
                ) -> i32;
            }
        }
    };
}

shim_abi!(baseline, "rf_load", "rf_free", "rf_detect", "rf_encode", "rf_decode_jpeg");
#[cfg(rustyface_avx2)]
shim_abi!(
    avx2,
    "rfavx2_rf_load",
    "rfavx2_rf_free",
    "rfavx2_rf_detect",
    "rfavx2_rf_encode",
    "rfavx2_rf_decode_jpeg"
);

/// One compiled variant of the shim's functions.
struct Shim {
    load: unsafe extern "C" fn(
        *const c_char,
        *const c_char,
        *const c_char,
        *mut c_char,
        usize,
    ) -> *mut RfEngine,
    free: unsafe extern "C" fn(*mut RfEngine),
    #[allow(clippy::type_complexity)]
    detect: unsafe extern "C" fn(
        *mut RfEngine,
        *const u8,
        i64,
        i64,
        i32,
        i32,
        *mut RfRect,
        i64,
        *mut c_char,
        usize,
    ) -> i64,
    #[allow(clippy::type_complexity)]
    encode: unsafe extern "C" fn(
        *mut RfEngine,
        *const u8,
        i64,
        i64,
        *const RfRect,
        i64,
        i32,
        *mut i64,
        *mut f32,
        *mut c_char,
        usize,
    ) -> i32,
}

static BASELINE: Shim =
    Shim { load: baseline::load, free: baseline::free, detect: baseline::detect, encode: baseline::encode };
#[cfg(rustyface_avx2)]
static AVX2: Shim = Shim { load: avx2::load, free: avx2::free, detect: avx2::detect, encode: avx2::encode };

/// The compiled variants of dlib's code (see `build.rs`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Simd {
    /// Any x86-64 (SSE2) or other CPU.
    Baseline,
    /// x86-64 with AVX2 and FMA: dlib's HOG detector about twice as fast.
    Avx2,
}

impl Simd {
    /// The fastest variant this CPU runs; `BKG_RUSTYFACE_SIMD=baseline` forces the portable one.
    pub fn best() -> Self {
        if std::env::var("BKG_RUSTYFACE_SIMD").is_ok_and(|v| v == "baseline") {
            return Self::Baseline;
        }
        #[cfg(rustyface_avx2)]
        if std::is_x86_feature_detected!("avx2") && std::is_x86_feature_detected!("fma") {
            return Self::Avx2;
        }
        Self::Baseline
    }

    /// Every variant this CPU can run.
    pub fn available() -> Vec<Self> {
        let mut v = vec![Self::Baseline];
        #[cfg(rustyface_avx2)]
        if std::is_x86_feature_detected!("avx2") && std::is_x86_feature_detected!("fma") {
            v.push(Self::Avx2);
        }
        v
    }

    fn shim(self) -> &'static Shim {
        match self {
            #[cfg(rustyface_avx2)]
            Self::Avx2 => &AVX2,
            _ => &BASELINE,
        }
    }
}

/// Decodes a `w` x `h` JPEG with libjpeg (PIL's decoder, so face_recognition's pixels); `None`
/// when libjpeg cannot (a CMYK or corrupt file), and the caller decodes it another way.
pub fn decode_jpeg(data: &[u8], w: u32, h: u32) -> Option<RgbImage> {
    let mut out = vec![0u8; w as usize * h as usize * 3];
    let mut err = [0 as c_char; 512];
    // SAFETY: `data` is readable for its length; `out` holds w*h*3 bytes, which is all the shim
    // writes, after checking the decoded size is w x h.
    let rc = unsafe {
        baseline::decode_jpeg(
            data.as_ptr(),
            data.len(),
            i64::from(w),
            i64::from(h),
            out.as_mut_ptr(),
            err.as_mut_ptr(),
            err.len(),
        )
    };
    if rc != 0 {
        return None;
    }
    RgbImage::from_raw(w, h, out)
}

/// Which detector finds the faces.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Detector {
    /// dlib's frontal-face HOG detector: fast on a CPU, frontal faces.
    #[default]
    Hog,
    /// dlib's MMOD CNN: finds more faces at more angles, much slower on a CPU.
    Cnn,
}

/// A face box in face_recognition's order (CSS: top, right, bottom, left), trimmed to the image.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FaceBox {
    pub top: i64,
    pub right: i64,
    pub bottom: i64,
    pub left: i64,
}

/// One face found in an image.
#[derive(Clone, Debug, Serialize)]
pub struct Face {
    #[serde(rename = "box")]
    pub bbox: FaceBox,
    /// The detector's score (HOG: SVM margin; CNN: detection confidence).
    pub confidence: f64,
    /// The 5 landmarks as `[x, y]`: right eye (outer, inner), left eye (outer, inner), nose.
    pub landmarks: [[i64; 2]; 5],
    pub encoding: Vec<f32>,
}

/// What the engine reports when dlib fails; the message is dlib's.
#[derive(Debug)]
pub struct EngineError(pub String);

impl std::fmt::Display for EngineError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

fn message(buf: &[c_char]) -> String {
    // SAFETY: the shim always writes a NUL-terminated string within the buffer (or nothing, and
    // the buffer starts zeroed).
    unsafe { CStr::from_ptr(buf.as_ptr()) }.to_string_lossy().into_owned()
}

fn cstring(p: &Path) -> Result<CString, EngineError> {
    CString::new(p.as_os_str().as_encoded_bytes())
        .map_err(|_| EngineError(format!("model path {} contains a NUL byte", p.display())))
}

/// One loaded set of models; see the module docs for threading.
pub struct Engine {
    raw: *mut RfEngine,
    shim: &'static Shim,
}

// SAFETY: an engine is only ever used by one thread at a time (`&mut self` on every call); dlib
// keeps no thread-local state tied to the thread that loaded it.
unsafe impl Send for Engine {}

impl Drop for Engine {
    fn drop(&mut self) {
        // SAFETY: `raw` came from rf_load and is freed once.
        unsafe { (self.shim.free)(self.raw) }
    }
}

impl Engine {
    /// Loads the models from `dir`; the CNN detector only when `with_cnn`.
    pub fn load(dir: &Path, with_cnn: bool) -> Result<Self, EngineError> {
        Self::load_with(dir, with_cnn, Simd::best())
    }

    /// As [`Engine::load`], on a given compiled variant (one this CPU runs: [`Simd::available`]).
    pub fn load_with(dir: &Path, with_cnn: bool, simd: Simd) -> Result<Self, EngineError> {
        let shim = simd.shim();
        let landmarks = cstring(&dir.join(LANDMARKS_FILE))?;
        let encoder = cstring(&dir.join(ENCODER_FILE))?;
        let cnn = if with_cnn { Some(cstring(&dir.join(CNN_FILE))?) } else { None };
        let mut err = [0 as c_char; 512];
        // SAFETY: valid NUL-terminated paths (or null for the CNN), a writable error buffer.
        let raw = unsafe {
            (shim.load)(
                landmarks.as_ptr(),
                encoder.as_ptr(),
                cnn.as_ref().map_or(std::ptr::null(), |c| c.as_ptr()),
                err.as_mut_ptr(),
                err.len(),
            )
        };
        if raw.is_null() {
            return Err(EngineError(format!(
                "cannot load the dlib models in {}: {}",
                dir.display(),
                message(&err)
            )));
        }
        Ok(Self { raw, shim })
    }

    /// Finds the faces in `img` and encodes each, as face_recognition's `face_locations` and
    /// `face_encodings(model="small")` do: detection on the image upsampled `upsample` times,
    /// landmarks and encodings from the detector's untrimmed rectangles, boxes trimmed to the
    /// image. `max_faces` bounds the faces encoded (the count found is returned beside them).
    pub fn faces(
        &mut self,
        img: &RgbImage,
        detector: Detector,
        upsample: u32,
        jitters: u32,
        max_faces: usize,
    ) -> Result<(Vec<Face>, usize), EngineError> {
        let (w, h) = (i64::from(img.width()), i64::from(img.height()));
        let mut rects = vec![RfRect::default(); max_faces];
        let mut err = [0 as c_char; 512];
        // SAFETY: `img` is a packed RGB buffer of w*h*3 bytes; `rects` holds `max_faces` entries.
        let found = unsafe {
            (self.shim.detect)(
                self.raw,
                img.as_raw().as_ptr(),
                w,
                h,
                upsample as i32,
                i32::from(detector == Detector::Cnn),
                rects.as_mut_ptr(),
                max_faces as i64,
                err.as_mut_ptr(),
                err.len(),
            )
        };
        if found < 0 {
            return Err(EngineError(message(&err)));
        }
        let found = found as usize;
        rects.truncate(found.min(max_faces));
        if rects.is_empty() {
            return Ok((Vec::new(), found));
        }
        let n = rects.len();
        let mut points = vec![0i64; n * 10];
        let mut encodings = vec![0f32; n * 128];
        // SAFETY: as above; `points` and `encodings` hold 10 and 128 values per face.
        let rc = unsafe {
            (self.shim.encode)(
                self.raw,
                img.as_raw().as_ptr(),
                w,
                h,
                rects.as_ptr(),
                n as i64,
                jitters as i32,
                points.as_mut_ptr(),
                encodings.as_mut_ptr(),
                err.as_mut_ptr(),
                err.len(),
            )
        };
        if rc != 0 {
            return Err(EngineError(message(&err)));
        }
        let faces = rects
            .iter()
            .enumerate()
            .map(|(i, r)| Face {
                bbox: FaceBox {
                    top: r.top.max(0),
                    right: r.right.min(w),
                    bottom: r.bottom.min(h),
                    left: r.left.max(0),
                },
                confidence: r.confidence,
                landmarks: std::array::from_fn(|p| [points[i * 10 + p * 2], points[i * 10 + p * 2 + 1]]),
                encoding: encodings[i * 128..(i + 1) * 128].to_vec(),
            })
            .collect();
        Ok((faces, found))
    }
}

/// Engines for up to `threads` concurrent calls on one model folder.
pub struct Pool {
    pub dir: PathBuf,
    idle: Mutex<Vec<Engine>>,
    /// Engines that also hold the CNN detector (loaded on the first CNN call).
    idle_cnn: Mutex<Vec<Engine>>,
    permits: Arc<tokio::sync::Semaphore>,
}

impl Pool {
    pub fn new(dir: PathBuf, threads: usize) -> Self {
        let threads = threads.max(1);
        Self {
            dir,
            idle: Mutex::new(Vec::new()),
            idle_cnn: Mutex::new(Vec::new()),
            permits: Arc::new(tokio::sync::Semaphore::new(threads)),
        }
    }

    /// Loads one engine now, so that a missing or corrupt model shows at start, not at the first call.
    pub fn warm(&self) -> Result<(), EngineError> {
        let e = Engine::load(&self.dir, false)?;
        self.idle.lock().push(e);
        Ok(())
    }

    /// Runs `f` with an engine on a blocking thread, waiting for a free one.
    pub async fn with<T: Send + 'static>(
        self: &Arc<Self>,
        cnn: bool,
        f: impl FnOnce(&mut Engine) -> T + Send + 'static,
    ) -> Result<T, EngineError> {
        let permit = self.permits.clone().acquire_owned().await.map_err(|e| EngineError(e.to_string()))?;
        let pool = self.clone();
        tokio::task::spawn_blocking(move || {
            let _permit = permit;
            let slot = if cnn { &pool.idle_cnn } else { &pool.idle };
            let engine = slot.lock().pop();
            let mut engine = match engine {
                Some(e) => e,
                None => Engine::load(&pool.dir, cnn)?,
            };
            let out = f(&mut engine);
            slot.lock().push(engine);
            Ok(out)
        })
        .await
        .map_err(|e| EngineError(format!("the face engine's thread failed: {e}")))?
    }
}
