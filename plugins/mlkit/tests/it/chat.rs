//! Chat with SmolLM2 against llama.cpp's reference: template rendering, tokenization, greedy
//! output, and the generation controls (seed, stop strings, max_tokens, streaming).

use std::ops::ControlFlow;

use bkg_mlkit::llm::{FinishReason, GenerateParams};

use crate::common::{chat_reference, llm};

/// Greedy output must equal llama.cpp's for at least this many tokens.
const MIN_MATCHING_TOKENS: usize = 32;
/// Below this top-2 margin in llama.cpp's logits a position is a near-tie: llama.cpp's own
/// choice there flips with its KV-cache precision or batch size.
const NEAR_TIE: f32 = 0.3;
/// Largest allowed difference between our logit and llama.cpp's for llama.cpp's top-5 tokens.
/// llama.cpp differs from itself by up to 1.04 on these (f32 instead of f16 KV cache) and 1.24
/// (prompt fed one token at a time); ours measured 0.97 when this was written.
const LOGIT_TOLERANCE: f32 = 1.25;

fn greedy(max_tokens: usize) -> GenerateParams {
    GenerateParams { max_tokens, ..GenerateParams::default() }
}

fn keep_going(_: &str) -> ControlFlow<()> {
    ControlFlow::Continue(())
}

#[test]
fn prompts_render_and_tokenize_like_llama_cpp() {
    let model = llm();
    for item in chat_reference() {
        let prompt = model.render_chat(&item.messages).expect("renders");
        assert_eq!(prompt, item.prompt, "rendered prompt of {:?}", item.messages);
        let ids = model.tokenize(&prompt).expect("tokenizes");
        assert_eq!(ids, item.prompt_ids, "token ids of {prompt:?}");
    }
}

#[test]
fn greedy_generation_matches_llama_cpp() {
    let mut model = llm();
    for item in chat_reference().into_iter().filter(|i| i.free_running_check) {
        let generation =
            model.generate(&item.prompt_ids, &greedy(item.output_ids.len()), keep_going).expect("generates");
        let must_match = item.output_ids.len().min(MIN_MATCHING_TOKENS);
        let matching = generation.tokens.iter().zip(&item.output_ids).take_while(|(a, b)| a == b).count();
        assert!(
            matching >= must_match,
            "only {matching} of {must_match} tokens match llama.cpp for {:?}\n ours:  {:?}\n llama: {:?}",
            item.messages.last().map(|m| &m.content),
            generation.tokens,
            item.output_ids,
        );
        if matching == item.output_ids.len() {
            assert_eq!(generation.text, item.output_text);
        }
    }
}

/// Teacher-forced: before every reference token, on every conversation, our logits agree with
/// llama.cpp's and our greedy choice is llama.cpp's (either of its top two at a near-tie).
#[test]
fn next_token_logits_match_llama_cpp_at_every_step() {
    let mut model = llm();
    let mut worst = 0f32;
    for item in chat_reference() {
        let mut tokens = item.prompt_ids.clone();
        tokens.extend_from_slice(&item.output_ids[..item.output_ids.len() - 1]);
        let rows = model.logits(&tokens, item.prompt_ids.len()).expect("computes logits");
        assert_eq!(rows.len(), item.top_logits.len());
        for (step, (ours, top)) in rows.iter().zip(&item.top_logits).enumerate() {
            let argmax = ours
                .iter()
                .enumerate()
                .max_by(|a, b| a.1.total_cmp(b.1))
                .map(|(i, _)| i as u32)
                .expect("non-empty logits");
            let near_tie = top[0].1 - top[1].1 < NEAR_TIE;
            let allowed: &[(u32, f32)] = if near_tie { &top[..2] } else { &top[..1] };
            assert!(
                allowed.iter().any(|(id, _)| *id == argmax),
                "step {step} of {:?}: our argmax {argmax}, llama.cpp's top {top:?}",
                item.messages.last().map(|m| &m.content)
            );
            for &(id, logit) in top {
                worst = worst.max((ours[id as usize] - logit).abs());
            }
        }
    }
    assert!(worst <= LOGIT_TOLERANCE, "largest logit difference on llama.cpp's top-5 tokens: {worst}");
}

#[test]
fn same_seed_gives_same_sampled_text() {
    let item = &chat_reference()[0];
    let params = GenerateParams {
        max_tokens: 24,
        temperature: 0.8,
        top_p: Some(0.95),
        seed: 7,
        ..GenerateParams::default()
    };
    let mut model = llm();
    let first = model.generate(&item.prompt_ids, &params, keep_going).expect("generates");
    let second = model.generate(&item.prompt_ids, &params, keep_going).expect("generates");
    assert!(!first.tokens.is_empty());
    assert_eq!(first.tokens, second.tokens);
    assert_eq!(first.text, second.text);
}

#[test]
fn max_tokens_is_honoured() {
    let item = &chat_reference()[1];
    let generation = llm().generate(&item.prompt_ids, &greedy(5), keep_going).expect("generates");
    assert_eq!(generation.tokens.len(), 5);
    assert_eq!(generation.finish_reason, FinishReason::MaxTokens);
    assert_eq!(generation.timings.decode_steps, 4);
}

#[test]
fn stop_string_ends_generation_before_it() {
    let item = chat_reference()
        .into_iter()
        .filter(|i| i.free_running_check)
        .max_by_key(|i| i.output_text.len())
        .expect("reference has conversations");
    // A stop string from the middle of llama.cpp's greedy answer: ours must stop right there.
    let words: Vec<&str> = item.output_text.split_whitespace().collect();
    let stop = words[words.len() / 2].to_string();
    let expected = &item.output_text[..item.output_text.find(&stop).expect("stop string is in the text")];
    let params = GenerateParams {
        stop: vec!["never appears \u{1F9D9}".into(), stop.clone()],
        ..greedy(item.output_ids.len())
    };
    let generation = llm().generate(&item.prompt_ids, &params, keep_going).expect("generates");
    assert_eq!(generation.finish_reason, FinishReason::StopString, "stop {stop:?}");
    assert_eq!(generation.text, expected);
}

#[test]
fn streamed_deltas_add_up_to_the_text() {
    let mut model = llm();
    for item in chat_reference() {
        let mut streamed = String::new();
        let mut pieces = 0;
        let generation = model
            .generate(&item.prompt_ids, &greedy(48), |delta| {
                assert!(!delta.is_empty(), "deltas are never empty");
                streamed.push_str(delta);
                pieces += 1;
                ControlFlow::Continue(())
            })
            .expect("generates");
        assert_eq!(streamed, generation.text);
        assert!(pieces > 1, "text arrived in {pieces} piece(s)");
    }
}

#[test]
fn callback_can_cancel() {
    let item = &chat_reference()[1];
    let mut calls = 0;
    let generation = llm()
        .generate(&item.prompt_ids, &greedy(48), |_| {
            calls += 1;
            if calls == 3 { ControlFlow::Break(()) } else { ControlFlow::Continue(()) }
        })
        .expect("generates");
    assert_eq!(generation.finish_reason, FinishReason::Cancelled);
    assert_eq!(calls, 3);
}

#[test]
fn chat_renders_tokenizes_and_generates() {
    let item = &chat_reference()[0];
    let generation = llm().chat(&item.messages, &greedy(8), keep_going).expect("chats");
    assert_eq!(generation.prompt_tokens, item.prompt_ids.len());
    assert_eq!(generation.tokens[..], item.output_ids[..generation.tokens.len()]);
}

#[test]
fn model_info_comes_from_the_gguf() {
    let model = llm();
    let info = model.info();
    assert_eq!(info.architecture, "llama");
    assert_eq!(info.vocab_size, 49152);
    assert_eq!(info.context_length, 8192);
    assert_eq!(
        info.weight_types,
        vec![("Q4_1".to_string(), 210), ("Q8_0".to_string(), 1)],
        "30 layers of 7 Q4_1 matrices, and the tied Q8_0 embedding as output"
    );
    assert_eq!(model.threads().count(), 1);
}
