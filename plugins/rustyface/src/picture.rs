//! Turning a caller's image into RGB pixels: base64 or a file (under a folder an admin allowed
//! the plugin), JPEG, PNG or WebP, EXIF orientation applied, refused before decoding when its
//! header says it has more pixels than the configured limit. Every failure is the caller's
//! (`bad_input`, `image_too_large`), never a crash.

use std::io::Cursor;
use std::path::Path;

use base64::Engine as _;
use bkg_plugin_sdk::PluginError;
use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader, Limits, RgbImage};

/// Bytes of an encoded image accepted at most (base64 or file).
pub const MAX_ENCODED_BYTES: usize = 64 * 1024 * 1024;

/// A caller error about an image; `what` names it in a batch ("image 3").
fn bad(what: &str, m: impl std::fmt::Display) -> PluginError {
    PluginError::bad_input(format!("{what}: {m}"))
}

/// The bytes of a base64 image; a `data:image/...;base64,` prefix is accepted.
pub fn from_base64(what: &str, b64: &str) -> Result<Vec<u8>, PluginError> {
    let body = match b64.strip_prefix("data:") {
        Some(rest) => {
            rest.split_once(',').map(|(_, b)| b).ok_or_else(|| bad(what, "a data URL without a comma"))?
        }
        None => b64,
    };
    if body.len() / 4 * 3 > MAX_ENCODED_BYTES {
        return Err(bad(what, format!("larger than {} MiB", MAX_ENCODED_BYTES >> 20)));
    }
    let clean: String = body.chars().filter(|c| !c.is_ascii_whitespace()).collect();
    base64::engine::general_purpose::STANDARD
        .decode(clean.as_bytes())
        .map_err(|e| bad(what, format!("not valid base64: {e}")))
}

/// The bytes of an image file the caller may read.
pub fn from_file(what: &str, path: &Path) -> Result<Vec<u8>, PluginError> {
    let meta =
        std::fs::metadata(path).map_err(|e| bad(what, format!("cannot read {}: {e}", path.display())))?;
    if !meta.is_file() {
        return Err(bad(what, format!("{} is not a file", path.display())));
    }
    if meta.len() > MAX_ENCODED_BYTES as u64 {
        return Err(bad(what, format!("{} is larger than {} MiB", path.display(), MAX_ENCODED_BYTES >> 20)));
    }
    std::fs::read(path).map_err(|e| bad(what, format!("cannot read {}: {e}", path.display())))
}

/// Decodes `bytes` to RGB with its EXIF orientation applied, refusing more than `max_pixels`.
pub fn decode(what: &str, bytes: &[u8], max_pixels: u64) -> Result<RgbImage, PluginError> {
    let format = image::guess_format(bytes).map_err(|_| bad(what, "not a JPEG, PNG or WebP image"))?;
    if !matches!(format, ImageFormat::Jpeg | ImageFormat::Png | ImageFormat::WebP) {
        return Err(bad(what, format!("{format:?} images are not supported; send JPEG, PNG or WebP")));
    }
    let mut reader = ImageReader::new(Cursor::new(bytes));
    reader.set_format(format);
    let mut limits = Limits::default();
    // Pixels times 4 bytes (RGBA decoders) plus room for the conversion to RGB.
    limits.max_alloc = Some(max_pixels.saturating_mul(8).max(64 << 20));
    reader.limits(limits);
    let mut decoder = reader.into_decoder().map_err(|e| bad(what, format!("not a readable image: {e}")))?;
    let (w, h) = decoder.dimensions();
    let pixels = u64::from(w) * u64::from(h);
    if pixels > max_pixels {
        return Err(PluginError::new(
            "image_too_large",
            format!(
                "{what}: {w}x{h} is {:.1} megapixels, more than this plugin's limit of {:.1} (config maxPixels)",
                pixels as f64 / 1e6,
                max_pixels as f64 / 1e6
            ),
        )
        .client());
    }
    if w == 0 || h == 0 {
        return Err(bad(what, "the image is empty"));
    }
    let orientation = decoder.orientation().unwrap_or(image::metadata::Orientation::NoTransforms);
    // JPEGs go through libjpeg, as in face_recognition (PIL); the rest through `image`.
    let jpeg = if format == ImageFormat::Jpeg { crate::engine::decode_jpeg(bytes, w, h) } else { None };
    let mut img = match jpeg {
        Some(rgb) => DynamicImage::ImageRgb8(rgb),
        None => DynamicImage::from_decoder(decoder)
            .map_err(|e| bad(what, format!("a corrupt or truncated image: {e}")))?,
    };
    img.apply_orientation(orientation);
    // As PIL's convert("RGB"), which face_recognition uses: alpha is dropped, not composited.
    Ok(img.into_rgb8())
}
