//! Compares greedy generation with llama.cpp's reference (`tests/reference/chat.json`) for each
//! weight format, printing how many leading tokens agree and, at the first difference, the top
//! two logits on both sides (ours teacher-forced on llama.cpp's tokens).
//!
//! Run: `cargo run --release --example parity -- [as-stored|q8_0|q4_0]...`

use std::ops::ControlFlow;

use bkg_mlkit::llm::{GenerateParams, Llm, LlmOptions, WeightFormat};
use bkg_mlkit::{Threads, test_models};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let reference: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/reference/chat.json"
    ))?)?;
    let items = reference["items"].as_array().ok_or("chat.json has no items")?;
    let formats: Vec<String> = std::env::args().skip(1).collect();
    let formats =
        if formats.is_empty() { vec!["as-stored".into(), "q8_0".into(), "q4_0".into()] } else { formats };
    let gguf = test_models::require(test_models::smollm2_gguf())?;
    for format in formats {
        let weights = match format.as_str() {
            "as-stored" => WeightFormat::AsStored,
            "q8_0" => WeightFormat::Q8_0,
            "q4_0" => WeightFormat::Q4_0,
            other => return Err(format!("unknown weight format {other}").into()),
        };
        let options = LlmOptions { weights, threads: Some(Threads::new(1)?) };
        let mut llm = Llm::load(&gguf, options)?;
        for (i, item) in items.iter().enumerate() {
            let ids = |key: &str| -> Vec<u32> {
                item[key]
                    .as_array()
                    .map(|a| a.iter().filter_map(|v| v.as_u64()).map(|v| v as u32).collect())
                    .unwrap_or_default()
            };
            let (prompt, expected) = (ids("prompt_ids"), ids("output_ids"));
            let params = GenerateParams { max_tokens: expected.len(), ..GenerateParams::default() };
            let generation = llm.generate(&prompt, &params, |_| ControlFlow::Continue(()))?;
            let same = generation.tokens.iter().zip(&expected).take_while(|(a, b)| a == b).count();
            println!(
                "{format:>9} conversation {i}: {same}/{} tokens equal llama.cpp ({:.1} ms decode)",
                expected.len(),
                generation.timings.decode.as_secs_f64() * 1e3
            );
            if same < expected.len() {
                let mut tokens = prompt.clone();
                tokens.extend_from_slice(&expected[..same]);
                let logits = llm.logits(&tokens, prompt.len())?;
                let ours = logits.last().ok_or("no logits")?;
                let mut top: Vec<(usize, f32)> = ours.iter().copied().enumerate().collect();
                top.sort_by(|a, b| b.1.total_cmp(&a.1));
                println!(
                    "          at token {same}: ours {:?}, llama.cpp {}",
                    &top[..2],
                    item["top_logits"][same].as_array().map(|t| format!("{:?}", &t[..2])).unwrap_or_default()
                );
            }
        }
    }
    Ok(())
}
