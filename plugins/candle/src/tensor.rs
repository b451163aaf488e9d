//! `tensor.ops`: tensors in, a tensor out, computed with candle on the CPU in f32. A tensor is
//! `{"shape": [..], "data": [..]}` (row-major) or nested arrays (`[[1, 2], [3, 4]]`) or a
//! number; the answer is always `{"shape", "data"}`. Shapes are checked before candle sees
//! them, so a mismatch is a clear `shape_mismatch` error naming both shapes.

use bkg_plugin_sdk::PluginError;
use candle_core::{D, Device, Tensor};
use serde_json::{Value, json};

pub const OPS: &[&str] = &["matmul", "add", "mul", "softmax", "transpose", "sum", "mean", "max", "min"];

/// Largest tensor accepted, in elements (64 MiB of f32).
const MAX_ELEMENTS: usize = 16 << 20;

fn bad(code: &str, m: impl Into<String>) -> PluginError {
    PluginError::new(code, m).client()
}

fn shape_error(m: impl Into<String>) -> PluginError {
    bad("shape_mismatch", m)
}

/// A parsed tensor: its shape and row-major data.
#[derive(Debug, Clone, PartialEq)]
struct Array {
    shape: Vec<usize>,
    data: Vec<f32>,
}

fn parse(name: &str, v: &Value) -> Result<Array, PluginError> {
    match v {
        Value::Object(o) => {
            let shape: Vec<usize> = serde_json::from_value(o.get("shape").cloned().unwrap_or(Value::Null))
                .map_err(|e| bad("invalid_tensor", format!("{name}.shape: {e}")))?;
            let data: Vec<f32> = serde_json::from_value(o.get("data").cloned().unwrap_or(Value::Null))
                .map_err(|e| bad("invalid_tensor", format!("{name}.data: {e}")))?;
            let n = shape.iter().try_fold(1usize, |a, &d| a.checked_mul(d)).unwrap_or(usize::MAX);
            if n != data.len() {
                return Err(shape_error(format!(
                    "{name}: shape {shape:?} holds {n} values, data has {}",
                    data.len()
                )));
            }
            check_size(name, data.len())?;
            Ok(Array { shape, data })
        }
        Value::Number(n) => Ok(Array { shape: vec![], data: vec![n.as_f64().unwrap_or(f64::NAN) as f32] }),
        Value::Array(_) => {
            let mut shape = Vec::new();
            let mut level = v;
            while let Value::Array(items) = level {
                shape.push(items.len());
                match items.first() {
                    Some(first) => level = first,
                    None => break,
                }
            }
            let mut data = Vec::new();
            flatten(name, v, &shape, 0, &mut data)?;
            check_size(name, data.len())?;
            Ok(Array { shape, data })
        }
        _ => Err(bad(
            "invalid_tensor",
            format!("{name}: a tensor is {{shape, data}}, nested arrays or a number"),
        )),
    }
}

fn check_size(name: &str, n: usize) -> Result<(), PluginError> {
    if n > MAX_ELEMENTS {
        return Err(bad("too_large", format!("{name} has {n} values; at most {MAX_ELEMENTS}")));
    }
    Ok(())
}

fn flatten(
    name: &str,
    v: &Value,
    shape: &[usize],
    depth: usize,
    out: &mut Vec<f32>,
) -> Result<(), PluginError> {
    match (v, shape.get(depth)) {
        (Value::Array(items), Some(&len)) if items.len() == len => {
            items.iter().try_for_each(|i| flatten(name, i, shape, depth + 1, out))
        }
        (Value::Array(items), Some(&len)) => Err(shape_error(format!(
            "{name} is ragged: a row at depth {depth} has {} items, the first has {len}",
            items.len()
        ))),
        (Value::Number(n), None) => {
            out.push(n.as_f64().unwrap_or(f64::NAN) as f32);
            Ok(())
        }
        _ => Err(bad("invalid_tensor", format!("{name} mixes numbers and arrays at depth {depth}"))),
    }
}

fn tensor(a: &Array) -> Result<Tensor, PluginError> {
    Tensor::from_vec(a.data.clone(), a.shape.as_slice(), &Device::Cpu).map_err(internal)
}

fn internal(e: candle_core::Error) -> PluginError {
    PluginError::internal(e.to_string())
}

fn out(t: Tensor) -> Result<Value, PluginError> {
    let shape = t.dims().to_vec();
    let data: Vec<f32> = t.flatten_all().and_then(|f| f.to_vec1()).map_err(internal)?;
    Ok(json!({"shape": shape, "data": data}))
}

/// Numpy's broadcasting rule: dimensions from the right are equal or one of them is 1.
fn broadcastable(a: &[usize], b: &[usize]) -> bool {
    a.iter().rev().zip(b.iter().rev()).all(|(x, y)| x == y || *x == 1 || *y == 1)
}

fn axis(value: Option<i64>, rank: usize) -> Result<Option<usize>, PluginError> {
    match value {
        None => Ok(None),
        Some(a) => {
            let r = rank as i64;
            let i = if a < 0 { a + r } else { a };
            if rank == 0 || !(0..r).contains(&i) {
                return Err(shape_error(format!("axis {a} is out of range for a tensor of rank {rank}")));
            }
            Ok(Some(i as usize))
        }
    }
}

pub fn run(input: Value) -> Result<Value, PluginError> {
    let op = input["op"].as_str().unwrap_or_default().to_string();
    let a = parse("a", &input["a"])?;
    let b = match input.get("b") {
        Some(v) if !v.is_null() => Some(parse("b", v)?),
        _ => None,
    };
    let ax = axis(input.get("axis").and_then(Value::as_i64), a.shape.len())?;
    let needs_b = matches!(op.as_str(), "matmul" | "add" | "mul");
    let b = match (needs_b, b) {
        (true, Some(b)) => Some(b),
        (true, None) => return Err(bad("invalid_input", format!("{op} needs a second tensor `b`"))),
        (false, Some(_)) => return Err(bad("invalid_input", format!("{op} takes one tensor; drop `b`"))),
        (false, None) => None,
    };
    let ta = tensor(&a)?;
    let result = match (op.as_str(), &b) {
        ("matmul", Some(b)) => {
            let (ra, rb) = (a.shape.len(), b.shape.len());
            if ra < 2 || rb < 2 {
                return Err(shape_error(format!(
                    "matmul needs matrices (rank >= 2), got {:?} and {:?}",
                    a.shape, b.shape
                )));
            }
            if a.shape[ra - 1] != b.shape[rb - 2] || a.shape[..ra - 2] != b.shape[..rb - 2] {
                return Err(shape_error(format!(
                    "matmul of {:?} and {:?}: inner dimensions {} and {} (and batch dimensions) must agree",
                    a.shape,
                    b.shape,
                    a.shape[ra - 1],
                    b.shape[rb - 2]
                )));
            }
            ta.matmul(&tensor(b)?)
        }
        ("add" | "mul", Some(b)) => {
            if !broadcastable(&a.shape, &b.shape) {
                return Err(shape_error(format!(
                    "{op}: shapes {:?} and {:?} do not broadcast",
                    a.shape, b.shape
                )));
            }
            let tb = tensor(b)?;
            if op == "add" { ta.broadcast_add(&tb) } else { ta.broadcast_mul(&tb) }
        }
        ("softmax", None) => {
            if a.shape.is_empty() {
                return Err(shape_error("softmax needs a tensor of rank >= 1"));
            }
            candle_nn::ops::softmax(&ta, ax.unwrap_or(a.shape.len() - 1))
        }
        ("transpose", None) => {
            if a.shape.len() < 2 {
                return Err(shape_error(format!("transpose needs rank >= 2, got {:?}", a.shape)));
            }
            ta.t().and_then(|t| t.contiguous())
        }
        ("sum" | "mean" | "max" | "min", None) => {
            if a.data.is_empty() && matches!(op.as_str(), "max" | "min") {
                return Err(shape_error(format!("{op} of an empty tensor")));
            }
            match ax {
                Some(i) => match op.as_str() {
                    "sum" => ta.sum(i),
                    "mean" => ta.mean(i),
                    "max" => ta.max(i),
                    _ => ta.min(i),
                },
                None => {
                    let flat = ta.flatten_all().map_err(internal)?;
                    match op.as_str() {
                        "sum" => flat.sum(D::Minus1),
                        "mean" => flat.mean(D::Minus1),
                        "max" => flat.max(D::Minus1),
                        _ => flat.min(D::Minus1),
                    }
                }
            }
        }
        (other, _) => return Err(bad("invalid_input", format!("unknown op {other:?}; one of {OPS:?}"))),
    };
    out(result.map_err(internal)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run_ok(v: Value) -> Value {
        run(v).unwrap_or_else(|e| panic!("{e:?}"))
    }

    #[test]
    fn operations_compute_what_they_say() {
        let m = json!([[1, 2], [3, 4]]);
        assert_eq!(
            run_ok(json!({"op": "matmul", "a": m, "b": [[5], [6]]})),
            json!({"shape": [2, 1], "data": [17.0, 39.0]})
        );
        assert_eq!(
            run_ok(json!({"op": "add", "a": m, "b": [10, 20]}))["data"],
            json!([11.0, 22.0, 13.0, 24.0])
        );
        assert_eq!(
            run_ok(json!({"op": "mul", "a": {"shape": [2, 2], "data": [1, 2, 3, 4]}, "b": 2}))["data"],
            json!([2.0, 4.0, 6.0, 8.0])
        );
        assert_eq!(
            run_ok(json!({"op": "transpose", "a": m})),
            json!({"shape": [2, 2], "data": [1.0, 3.0, 2.0, 4.0]})
        );
        assert_eq!(run_ok(json!({"op": "sum", "a": m})), json!({"shape": [], "data": [10.0]}));
        assert_eq!(run_ok(json!({"op": "mean", "a": m, "axis": 0}))["data"], json!([2.0, 3.0]));
        assert_eq!(run_ok(json!({"op": "max", "a": m, "axis": -1}))["data"], json!([2.0, 4.0]));
        assert_eq!(run_ok(json!({"op": "min", "a": m}))["data"], json!([1.0]));
        let s = run_ok(json!({"op": "softmax", "a": [[0, 0], [0, 1000]]}));
        assert_eq!(s["data"], json!([0.5, 0.5, 0.0, 1.0]));
    }

    #[test]
    fn shape_errors_are_clear() {
        let code = |v: Value| run(v).unwrap_err().code;
        assert_eq!(code(json!({"op": "matmul", "a": [[1, 2]], "b": [[1, 2]]})), "shape_mismatch");
        assert_eq!(code(json!({"op": "add", "a": [1, 2, 3], "b": [1, 2]})), "shape_mismatch");
        assert_eq!(code(json!({"op": "sum", "a": [[1, 2], [3]]})), "shape_mismatch");
        assert_eq!(code(json!({"op": "sum", "a": {"shape": [2, 2], "data": [1]}})), "shape_mismatch");
        assert_eq!(code(json!({"op": "softmax", "a": [1, 2], "axis": 3})), "shape_mismatch");
        assert_eq!(code(json!({"op": "transpose", "a": [1, 2]})), "shape_mismatch");
        assert_eq!(code(json!({"op": "matmul", "a": [[1]]})), "invalid_input");
    }
}
