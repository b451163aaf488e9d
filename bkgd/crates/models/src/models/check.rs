//! What a model's files must satisfy: their hashes (SHA-256, and the git blob id the hub gives
//! for small non-LFS files), and well-formed headers: safetensors (header length, JSON, dtypes,
//! shapes and offsets that exactly cover the data), GGUF (magic, version, metadata and tensor
//! infos inside the file) and `config.json` (a JSON object). Every function here is blocking
//! file I/O; callers run it on the blocking pool.

use std::fs::File;
use std::io::{self, BufReader, Read, Seek, SeekFrom};
use std::path::Path;

use sha1::Digest as _;

/// The hashes the hub may give for a file, fed incrementally: always SHA-256, and the git blob
/// id (SHA-1 of `blob <size>\0` + contents) only for plain git files, which have no other.
#[derive(Clone)]
pub struct Hashes {
    sha256: sha2::Sha256,
    git: Option<sha1::Sha1>,
}

impl Hashes {
    pub fn new(size: u64, with_git: bool) -> Self {
        let git = with_git.then(|| {
            let mut git = sha1::Sha1::new();
            git.update(format!("blob {size}\0").as_bytes());
            git
        });
        Self { sha256: sha2::Sha256::new(), git }
    }

    pub fn update(&mut self, bytes: &[u8]) {
        self.sha256.update(bytes);
        if let Some(g) = &mut self.git {
            g.update(bytes);
        }
    }

    /// (sha256, git oid) in lowercase hex; the git id is empty when not computed.
    pub fn finish(self) -> (String, String) {
        (hex::encode(self.sha256.finalize()), self.git.map(|g| hex::encode(g.finalize())).unwrap_or_default())
    }
}

/// Hashes the first `len` bytes of a file (all of it when `None`).
pub fn hash_prefix(path: &Path, size: u64, len: Option<u64>, with_git: bool) -> io::Result<Hashes> {
    let mut h = Hashes::new(size, with_git);
    let file = File::open(path)?;
    let mut reader = file.take(len.unwrap_or(u64::MAX));
    let mut buf = vec![0u8; 1 << 20];
    loop {
        let n = reader.read(&mut buf)?;
        if n == 0 {
            return Ok(h);
        }
        h.update(&buf[..n]);
    }
}

/// SHA-256 of a whole file.
pub fn sha256_file(path: &Path) -> io::Result<String> {
    let size = std::fs::metadata(path)?.len();
    Ok(hash_prefix(path, size, None, false)?.finish().0)
}

/// Checks a file's format by its name; `Ok(())` for formats not checked.
pub fn check_format(path: &Path, name: &str) -> Result<(), String> {
    let lower = name.to_ascii_lowercase();
    if lower.ends_with(".safetensors") {
        safetensors(path)
    } else if lower.ends_with(".gguf") {
        gguf(path)
    } else if lower == "config.json" || lower.ends_with("/config.json") {
        config_json(path)
    } else {
        Ok(())
    }
}

fn safetensors(path: &Path) -> Result<(), String> {
    let io = |e: io::Error| format!("cannot read: {e}");
    let mut f = File::open(path).map_err(io)?;
    let size = f.metadata().map_err(io)?.len();
    let mut len = [0u8; 8];
    f.read_exact(&mut len).map_err(|_| "shorter than the 8-byte safetensors header length".to_string())?;
    let n = u64::from_le_bytes(len);
    if n > 100 * 1024 * 1024 || 8 + n > size {
        return Err(format!("safetensors header length {n} does not fit the file of {size} bytes"));
    }
    let mut header = vec![0u8; n as usize];
    f.read_exact(&mut header).map_err(io)?;
    let header: serde_json::Map<String, serde_json::Value> = serde_json::from_slice(&header)
        .map_err(|e| format!("safetensors header is not a JSON object: {e}"))?;
    let data_len = size - 8 - n;
    let mut spans = Vec::new();
    for (name, t) in header.iter().filter(|(k, _)| *k != "__metadata__") {
        let dtype = t["dtype"].as_str().ok_or_else(|| format!("tensor {name:?} has no dtype"))?;
        let width = match dtype {
            "BOOL" | "U8" | "I8" | "F8_E4M3" | "F8_E5M2" => 1,
            "U16" | "I16" | "F16" | "BF16" => 2,
            "U32" | "I32" | "F32" => 4,
            "U64" | "I64" | "F64" => 8,
            other => return Err(format!("tensor {name:?} has an unknown dtype {other:?}")),
        };
        let shape = t["shape"].as_array().ok_or_else(|| format!("tensor {name:?} has no shape"))?;
        let mut count: u64 = 1;
        for d in shape {
            let d = d.as_u64().ok_or_else(|| format!("tensor {name:?} has a bad dimension {d}"))?;
            count = count.checked_mul(d).ok_or_else(|| format!("tensor {name:?} is too large"))?;
        }
        let offs = t["data_offsets"].as_array().filter(|o| o.len() == 2);
        let (Some(b), Some(e)) = (offs.and_then(|o| o[0].as_u64()), offs.and_then(|o| o[1].as_u64())) else {
            return Err(format!("tensor {name:?} has no valid data_offsets"));
        };
        if e < b || e - b != count * width {
            return Err(format!("tensor {name:?}: data_offsets [{b}, {e}] do not hold {count} x {dtype}"));
        }
        if e > data_len {
            return Err(format!(
                "tensor {name:?} ends at {e}, past the {data_len} data bytes (truncated file?)"
            ));
        }
        spans.push((b, e));
    }
    // The format requires the tensors to cover the data exactly, without holes or overlaps.
    spans.sort_unstable();
    let mut at = 0;
    for (b, e) in spans {
        if b != at {
            return Err(format!("tensor data has a hole or overlap at byte {at}"));
        }
        at = e;
    }
    if at != data_len {
        return Err(format!("tensors cover {at} of the {data_len} data bytes"));
    }
    Ok(())
}

fn config_json(path: &Path) -> Result<(), String> {
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read: {e}"))?;
    match serde_json::from_slice::<serde_json::Value>(&bytes) {
        Ok(serde_json::Value::Object(_)) => Ok(()),
        Ok(_) => Err("config.json is not a JSON object".into()),
        Err(e) => Err(format!("config.json is not valid JSON: {e}")),
    }
}

/// Reads GGUF's little-endian values with bounds: a broken file is an error, never a huge
/// allocation or a panic.
struct Gguf<R> {
    r: R,
    size: u64,
}

impl<R: Read + Seek> Gguf<R> {
    fn bytes<const N: usize>(&mut self) -> Result<[u8; N], String> {
        let mut b = [0u8; N];
        self.r.read_exact(&mut b).map_err(|_| "GGUF file ends inside its header".to_string())?;
        Ok(b)
    }
    fn u32(&mut self) -> Result<u32, String> {
        Ok(u32::from_le_bytes(self.bytes()?))
    }
    fn u64(&mut self) -> Result<u64, String> {
        Ok(u64::from_le_bytes(self.bytes()?))
    }
    fn skip(&mut self, n: u64) -> Result<(), String> {
        let at = self.r.stream_position().map_err(|e| e.to_string())?;
        if at.checked_add(n).is_none_or(|end| end > self.size) {
            return Err("GGUF header runs past the end of the file".into());
        }
        self.r.seek(SeekFrom::Current(n as i64)).map_err(|e| e.to_string())?;
        Ok(())
    }
    fn string(&mut self) -> Result<String, String> {
        let n = self.u64()?;
        if n > 1 << 20 {
            return Err(format!("GGUF string of {n} bytes is implausible"));
        }
        let mut b = vec![0u8; n as usize];
        self.r.read_exact(&mut b).map_err(|_| "GGUF file ends inside a string".to_string())?;
        String::from_utf8(b).map_err(|_| "GGUF string is not UTF-8".into())
    }
    fn value(&mut self, ty: u32, depth: u32) -> Result<Option<u64>, String> {
        match ty {
            0 | 1 | 7 => self.skip(1)?,
            2 | 3 => self.skip(2)?,
            4 | 5 => return Ok(Some(u64::from(self.u32()?))),
            6 => self.skip(4)?,
            10 | 11 => return Ok(Some(self.u64()?)),
            12 => self.skip(8)?,
            8 => {
                self.string()?;
            }
            9 if depth == 0 => {
                let inner = self.u32()?;
                let n = self.u64()?;
                if n > self.size {
                    return Err(format!("GGUF array of {n} items is longer than the file"));
                }
                for _ in 0..n {
                    self.value(inner, depth + 1)?;
                }
            }
            other => return Err(format!("GGUF metadata has an unknown value type {other}")),
        }
        Ok(None)
    }
}

/// (elements per block, bytes per block) of the ggml tensor types.
fn ggml_block(ty: u32) -> Option<(u64, u64)> {
    Some(match ty {
        0 => (1, 4),
        1 | 30 => (1, 2),
        2 => (32, 18),
        3 => (32, 20),
        6 => (32, 22),
        7 => (32, 24),
        8 => (32, 34),
        9 => (32, 36),
        10 => (256, 84),
        11 => (256, 110),
        12 => (256, 144),
        13 => (256, 176),
        14 => (256, 210),
        15 => (256, 292),
        24 => (1, 1),
        25 => (1, 2),
        26 => (1, 4),
        27 | 28 => (1, 8),
        _ => return None,
    })
}

fn gguf(path: &Path) -> Result<(), String> {
    let f = File::open(path).map_err(|e| format!("cannot read: {e}"))?;
    let size = f.metadata().map_err(|e| format!("cannot read: {e}"))?.len();
    let mut g = Gguf { r: BufReader::new(f), size };
    if &g.bytes::<4>()? != b"GGUF" {
        return Err("not a GGUF file (bad magic)".into());
    }
    let version = g.u32()?;
    if !(2..=3).contains(&version) {
        return Err(format!("GGUF version {version} is not supported (2 or 3)"));
    }
    let tensors = g.u64()?;
    let kvs = g.u64()?;
    if tensors > 1 << 20 || kvs > 1 << 20 {
        return Err(format!("GGUF header claims {tensors} tensors and {kvs} metadata entries"));
    }
    let mut alignment = 32;
    for _ in 0..kvs {
        let key = g.string()?;
        let ty = g.u32()?;
        let v = g.value(ty, 0)?;
        if key == "general.alignment" {
            alignment =
                v.filter(|a| *a > 0 && a.is_power_of_two()).ok_or("GGUF general.alignment is invalid")?;
        }
    }
    let mut infos = Vec::new();
    for _ in 0..tensors {
        let name = g.string()?;
        let dims = g.u32()?;
        if dims > 8 {
            return Err(format!("tensor {name:?} has {dims} dimensions"));
        }
        let mut count: u64 = 1;
        for _ in 0..dims {
            count = count.checked_mul(g.u64()?).ok_or_else(|| format!("tensor {name:?} is too large"))?;
        }
        let ty = g.u32()?;
        let offset = g.u64()?;
        infos.push((name, count, ty, offset));
    }
    let pos = g.r.stream_position().map_err(|e| e.to_string())?;
    let data_start = pos.div_ceil(alignment) * alignment;
    for (name, count, ty, offset) in infos {
        let bytes = match ggml_block(ty) {
            Some((per, bytes)) => count.div_ceil(per) * bytes,
            None => 0,
        };
        if data_start.checked_add(offset).and_then(|s| s.checked_add(bytes)).is_none_or(|end| end > size) {
            return Err(format!("tensor {name:?} lies past the end of the file (truncated?)"));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn safetensors_bytes(header: &str, data: usize) -> Vec<u8> {
        let mut b = (header.len() as u64).to_le_bytes().to_vec();
        b.extend_from_slice(header.as_bytes());
        b.extend(std::iter::repeat_n(7u8, data));
        b
    }

    #[test]
    fn safetensors_headers() {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("m.safetensors");
        let good = r#"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"__metadata__":{"x":"y"}}"#;
        std::fs::write(&f, safetensors_bytes(good, 8)).unwrap();
        assert_eq!(check_format(&f, "m.safetensors"), Ok(()));
        std::fs::write(&f, safetensors_bytes(good, 4)).unwrap();
        assert!(check_format(&f, "m.safetensors").unwrap_err().contains("past the"));
        let bad = r#"{"a":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}"#;
        std::fs::write(&f, safetensors_bytes(bad, 8)).unwrap();
        assert!(check_format(&f, "m.safetensors").is_err());
        std::fs::write(&f, b"\xff\xff\xff\xff\xff\xff\xff\x7f{}").unwrap();
        assert!(check_format(&f, "m.safetensors").is_err());
    }

    #[test]
    fn gguf_headers() {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("m.gguf");
        let mut b = b"GGUF".to_vec();
        b.extend(3u32.to_le_bytes());
        b.extend(1u64.to_le_bytes()); // tensors
        b.extend(1u64.to_le_bytes()); // kvs
        let key = b"general.name";
        b.extend((key.len() as u64).to_le_bytes());
        b.extend(key);
        b.extend(8u32.to_le_bytes());
        b.extend(3u64.to_le_bytes());
        b.extend(b"abc");
        b.extend(1u64.to_le_bytes());
        b.push(b't');
        b.extend(1u32.to_le_bytes());
        b.extend(4u64.to_le_bytes());
        b.extend(0u32.to_le_bytes()); // F32
        b.extend(0u64.to_le_bytes());
        let pad = b.len().div_ceil(32) * 32 - b.len();
        b.extend(std::iter::repeat_n(0u8, pad + 16));
        std::fs::write(&f, &b).unwrap();
        assert_eq!(check_format(&f, "m.gguf"), Ok(()));
        std::fs::write(&f, &b[..b.len() - 1]).unwrap();
        assert!(check_format(&f, "m.gguf").unwrap_err().contains("past the end"));
        std::fs::write(&f, b"GGUX").unwrap();
        assert!(check_format(&f, "m.gguf").is_err());
    }

    #[test]
    fn git_blob_ids_match_git() {
        // `printf 'hello\n' | git hash-object --stdin`
        let mut h = Hashes::new(6, true);
        h.update(b"hello\n");
        assert_eq!(h.finish().1, "ce013625030ba8dba906f756967f9e9ca394464a");
    }
}
