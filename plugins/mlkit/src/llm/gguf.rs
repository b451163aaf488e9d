//! Reading a GGUF file: typed access to its metadata and its tensors.

use std::collections::HashMap;
use std::io::BufReader;
use std::path::{Path, PathBuf};

use candle_core::Device;
use candle_core::quantized::QTensor;
use candle_core::quantized::gguf_file::{Content, Value};

use crate::{Error, Result};

/// Typed look-ups in a GGUF's metadata; every failure names the file and the key.
pub(crate) struct Metadata<'a> {
    path: &'a Path,
    values: &'a HashMap<String, Value>,
}

impl<'a> Metadata<'a> {
    pub fn new(path: &'a Path, content: &'a Content) -> Self {
        Self { path, values: &content.metadata }
    }

    pub fn invalid(&self, message: impl std::fmt::Display) -> Error {
        Error::invalid_model(self.path, message)
    }

    fn get(&self, key: &str) -> Result<&'a Value> {
        self.values.get(key).ok_or_else(|| self.invalid(format!("metadata key `{key}` is missing")))
    }

    pub fn string(&self, key: &str) -> Result<&'a str> {
        match self.get(key)? {
            Value::String(s) => Ok(s),
            other => Err(self.invalid(format!("`{key}` is {:?}, not a string", other.value_type()))),
        }
    }

    pub fn optional_string(&self, key: &str) -> Result<Option<&'a str>> {
        if self.values.contains_key(key) { self.string(key).map(Some) } else { Ok(None) }
    }

    pub fn u32(&self, key: &str) -> Result<u32> {
        as_u32(self.get(key)?).ok_or_else(|| self.invalid(format!("`{key}` is not a 32-bit unsigned number")))
    }

    pub fn optional_u32(&self, key: &str) -> Result<Option<u32>> {
        if self.values.contains_key(key) { self.u32(key).map(Some) } else { Ok(None) }
    }

    pub fn f32(&self, key: &str) -> Result<f32> {
        match *self.get(key)? {
            Value::F32(v) => Ok(v),
            Value::F64(v) => Ok(v as f32),
            ref other => Err(self.invalid(format!("`{key}` is {:?}, not a float", other.value_type()))),
        }
    }

    pub fn optional_f32(&self, key: &str) -> Result<Option<f32>> {
        if self.values.contains_key(key) { self.f32(key).map(Some) } else { Ok(None) }
    }

    fn array(&self, key: &str) -> Result<&'a [Value]> {
        match self.get(key)? {
            Value::Array(values) => Ok(values),
            other => Err(self.invalid(format!("`{key}` is {:?}, not an array", other.value_type()))),
        }
    }

    pub fn string_array(&self, key: &str) -> Result<Vec<String>> {
        self.array(key)?
            .iter()
            .map(|v| match v {
                Value::String(s) => Ok(s.clone()),
                _ => Err(self.invalid(format!("`{key}` holds a value that is not a string"))),
            })
            .collect()
    }

    pub fn u32_array(&self, key: &str) -> Result<Vec<u32>> {
        self.array(key)?
            .iter()
            .map(|v| {
                as_u32(v).ok_or_else(|| self.invalid(format!("`{key}` holds a value that is not a u32")))
            })
            .collect()
    }
}

fn as_u32(value: &Value) -> Option<u32> {
    match *value {
        Value::U8(v) => Some(u32::from(v)),
        Value::U16(v) => Some(u32::from(v)),
        Value::U32(v) => Some(v),
        Value::U64(v) => u32::try_from(v).ok(),
        Value::I8(v) => u32::try_from(v).ok(),
        Value::I16(v) => u32::try_from(v).ok(),
        Value::I32(v) => u32::try_from(v).ok(),
        Value::I64(v) => u32::try_from(v).ok(),
        _ => None,
    }
}

/// An opened GGUF: its parsed header and a reader positioned anywhere in the file.
pub(crate) struct GgufFile {
    pub content: Content,
    reader: BufReader<std::fs::File>,
    path: PathBuf,
}

impl GgufFile {
    pub fn open(path: &Path) -> Result<Self> {
        let file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
        let mut reader = BufReader::new(file);
        let content = Content::read(&mut reader).map_err(|e| Error::invalid_model(path, e))?;
        Ok(Self { content, reader, path: path.to_path_buf() })
    }

    /// Reads the tensor `name`.
    pub fn tensor(&mut self, name: &str, device: &Device) -> Result<QTensor> {
        if !self.content.tensor_infos.contains_key(name) {
            return Err(Error::invalid_model(&self.path, format!("tensor `{name}` is missing")));
        }
        self.content
            .tensor(&mut self.reader, name, device)
            .map_err(|e| Error::invalid_model(&self.path, format!("tensor `{name}`: {e}")))
    }
}
