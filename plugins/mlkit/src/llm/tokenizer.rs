//! The tokenizer of a GGUF model, built from its `tokenizer.ggml.*` metadata so that it splits
//! text exactly as llama.cpp does: GPT-2 style byte-level BPE with the pre-tokenizer regexes
//! llama.cpp uses for the model's `tokenizer.ggml.pre`, no prefix space, and control and
//! user-defined tokens (`<|im_start|>`, ...) matched as single tokens.
//!
//! Decoding does not go through `tokenizers`: every token maps to its raw bytes once at load,
//! so that streaming can hand out bytes and assemble valid UTF-8 itself.

use std::collections::HashSet;

use candle_core::quantized::gguf_file::Content;
use tokenizers::{
    AddedToken, SplitDelimiterBehavior, Tokenizer,
    models::bpe::{BPE, Vocab},
    pre_tokenizers::{
        PreTokenizerWrapper, byte_level::ByteLevel, sequence::Sequence, split::Split, split::SplitPattern,
    },
};

use super::gguf::Metadata;
use crate::{Error, Result};

/// llama.cpp's token types (`llama_token_type`).
const TYPE_NORMAL: u32 = 1;
const TYPE_UNKNOWN: u32 = 2;
const TYPE_CONTROL: u32 = 3;
const TYPE_USER_DEFINED: u32 = 4;
const TYPE_UNUSED: u32 = 5;
const TYPE_BYTE: u32 = 6;

/// Token texts that llama.cpp treats as end of generation whatever the metadata says.
const EOG_TEXTS: &[&str] = &[
    "<|eot_id|>",
    "<|im_end|>",
    "<|end|>",
    "<end_of_turn>",
    "<|endoftext|>",
    "<|eom_id|>",
    "<EOT>",
    "<|end_of_text|>",
];

/// GPT-2's pre-tokenizer regex, as llama.cpp writes it.
const REGEX_GPT2: &str = r"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)";
const REGEX_LLAMA3: &str = r"(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+";
const REGEX_QWEN2: &str = r"(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+";

/// The regexes llama.cpp applies, in order, for a `tokenizer.ggml.pre` value
/// (`llm_tokenizer_bpe` in llama-vocab.cpp), and whether it ignores merges for whole words.
fn pre_tokenizer_regexes(pre: &str) -> Option<(&'static [&'static str], bool)> {
    Some(match pre {
        "gpt-2" | "gpt2" | "mpt" | "olmo" | "jais" => (&[REGEX_GPT2], false),
        "smollm" | "starcoder" | "refact" | "command-r" | "codeshell" | "exaone" | "minerva" => {
            (&[r"\p{N}", REGEX_GPT2], false)
        }
        "llama3" | "llama-v3" | "llama-bpe" | "falcon3" | "pixtral" => (&[REGEX_LLAMA3], true),
        "qwen2" | "deepseek-r1-qwen" => (&[REGEX_QWEN2], false),
        _ => return None,
    })
}

/// GPT-2's byte-to-character table: printable bytes stand for themselves, the others are moved
/// to U+0100 and up. Returns the inverse, indexed by code point.
fn byte_decoder() -> Vec<Option<u8>> {
    let printable = |b: u8| matches!(b, b'!'..=b'~' | 0xA1..=0xAC | 0xAE..=0xFF);
    let mut table = vec![None; 0x144];
    let mut next = 0x100usize;
    for b in 0..=255u8 {
        if printable(b) {
            table[usize::from(b)] = Some(b);
        } else {
            table[next] = Some(b);
            next += 1;
        }
    }
    table
}

/// Encoder and decoder for one GGUF vocabulary.
pub struct GgufTokenizer {
    encoder: Tokenizer,
    /// Raw bytes each token stands for; empty for control tokens, which are never shown.
    token_bytes: Vec<Vec<u8>>,
    tokens: Vec<String>,
    bos: Option<u32>,
    eos: Option<u32>,
    end_of_generation: HashSet<u32>,
}

impl std::fmt::Debug for GgufTokenizer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GgufTokenizer")
            .field("vocab_size", &self.tokens.len())
            .field("bos", &self.bos)
            .field("eos", &self.eos)
            .finish_non_exhaustive()
    }
}

impl GgufTokenizer {
    /// Builds the tokenizer from the GGUF metadata.
    pub(crate) fn from_gguf(content: &Content, md: &Metadata<'_>) -> Result<Self> {
        let model = md.string("tokenizer.ggml.model")?;
        if model != "gpt2" {
            return Err(Error::Unsupported(format!(
                "tokenizer model `{model}`: only GPT-2 style byte-level BPE (`gpt2`) is implemented"
            )));
        }
        let pre = md.optional_string("tokenizer.ggml.pre")?.unwrap_or("gpt2");
        let (regexes, ignore_merges) = pre_tokenizer_regexes(pre).ok_or_else(|| {
            Error::Unsupported(format!("pre-tokenizer `{pre}` (tokenizer.ggml.pre) is not implemented"))
        })?;

        let tokens = md.string_array("tokenizer.ggml.tokens")?;
        let types = match content.metadata.get("tokenizer.ggml.token_type") {
            Some(_) => md.u32_array("tokenizer.ggml.token_type")?,
            None => vec![TYPE_NORMAL; tokens.len()],
        };
        if types.len() != tokens.len() {
            return Err(md.invalid(format!("{} token types for {} tokens", types.len(), tokens.len())));
        }
        let merges = md
            .string_array("tokenizer.ggml.merges")?
            .into_iter()
            .map(|m| {
                m.split_once(' ')
                    .map(|(a, b)| (a.to_string(), b.to_string()))
                    .ok_or_else(|| md.invalid(format!("merge `{m}` is not two tokens")))
            })
            .collect::<Result<Vec<_>>>()?;

        let vocab: Vocab = tokens.iter().enumerate().map(|(i, t)| (t.clone(), to_u32(i))).collect();
        let bpe = BPE::builder()
            .vocab_and_merges(vocab, merges)
            .ignore_merges(ignore_merges)
            .build()
            .map_err(|e| md.invalid(format!("BPE vocabulary: {e}")))?;
        let mut encoder = Tokenizer::new(bpe);
        encoder.with_pre_tokenizer(Some(pre_tokenizer(regexes)?));

        // Control, unknown and user-defined tokens are found in the raw text before BPE runs,
        // longest first, exactly like llama.cpp's special-token partition.
        let added: Vec<AddedToken> = tokens
            .iter()
            .zip(&types)
            .filter(|(_, t)| matches!(**t, TYPE_UNKNOWN | TYPE_CONTROL | TYPE_USER_DEFINED))
            .map(|(text, &t)| AddedToken::from(text.clone(), t != TYPE_USER_DEFINED).normalized(false))
            .collect();
        encoder.add_special_tokens(added).map_err(|e| md.invalid(format!("special tokens: {e}")))?;

        let decoder = byte_decoder();
        let token_bytes = tokens
            .iter()
            .zip(&types)
            .map(|(text, &t)| match t {
                TYPE_CONTROL | TYPE_UNKNOWN | TYPE_UNUSED => Vec::new(),
                TYPE_USER_DEFINED => text.as_bytes().to_vec(),
                TYPE_BYTE => byte_token(text).unwrap_or_default(),
                _ => decode_byte_level(text, &decoder),
            })
            .collect();

        let bos = md.optional_u32("tokenizer.ggml.bos_token_id")?;
        let eos = md.optional_u32("tokenizer.ggml.eos_token_id")?;
        let mut end_of_generation: HashSet<u32> = ["eos", "eot", "eom"]
            .iter()
            .map(|k| md.optional_u32(&format!("tokenizer.ggml.{k}_token_id")))
            .collect::<Result<Vec<_>>>()?
            .into_iter()
            .flatten()
            .collect();
        end_of_generation.extend(
            tokens
                .iter()
                .enumerate()
                .filter(|(_, t)| EOG_TEXTS.contains(&t.as_str()))
                .map(|(i, _)| to_u32(i)),
        );
        Ok(Self { encoder, token_bytes, tokens, bos, eos, end_of_generation })
    }

    /// Token ids of `text`, with control tokens written in the text (`<|im_start|>`) recognised
    /// as single tokens, as llama.cpp's `tokenize(..., parse_special=true)`. Adds no BOS: chat
    /// templates write it themselves when the model wants it.
    pub fn encode(&self, text: &str) -> Result<Vec<u32>> {
        let encoding = self.encoder.encode_fast(text, false).map_err(|e| Error::Tokenizer(e.to_string()))?;
        Ok(encoding.get_ids().to_vec())
    }

    /// The raw bytes of one token (empty for control tokens and ids outside the vocabulary).
    pub fn token_bytes(&self, id: u32) -> &[u8] {
        self.token_bytes.get(id as usize).map(Vec::as_slice).unwrap_or_default()
    }

    /// Text of `ids` with control tokens left out; invalid UTF-8 becomes U+FFFD.
    pub fn decode(&self, ids: &[u32]) -> String {
        let bytes: Vec<u8> = ids.iter().flat_map(|&id| self.token_bytes(id)).copied().collect();
        String::from_utf8_lossy(&bytes).into_owned()
    }

    /// The vocabulary entry of `id`, as written in the GGUF (for templates and diagnostics).
    pub fn token_text(&self, id: u32) -> Option<&str> {
        self.tokens.get(id as usize).map(String::as_str)
    }

    /// Number of tokens in the vocabulary.
    pub fn vocab_size(&self) -> usize {
        self.tokens.len()
    }

    /// Beginning-of-sequence token, if the model has one.
    pub fn bos(&self) -> Option<u32> {
        self.bos
    }

    /// End-of-sequence token, if the model has one.
    pub fn eos(&self) -> Option<u32> {
        self.eos
    }

    /// Whether generating `id` ends the answer (EOS, end of turn, ...).
    pub fn is_end_of_generation(&self, id: u32) -> bool {
        self.end_of_generation.contains(&id)
    }
}

fn to_u32(i: usize) -> u32 {
    u32::try_from(i).expect("GGUF vocabularies are far smaller than u32::MAX")
}

fn pre_tokenizer(regexes: &[&str]) -> Result<PreTokenizerWrapper> {
    let mut steps: Vec<PreTokenizerWrapper> = Vec::with_capacity(regexes.len() + 1);
    for regex in regexes {
        let split =
            Split::new(SplitPattern::Regex((*regex).to_string()), SplitDelimiterBehavior::Isolated, false)
                .map_err(|e| Error::Tokenizer(format!("pre-tokenizer regex: {e}")))?;
        steps.push(split.into());
    }
    // Splitting is done by the regexes above; ByteLevel only maps bytes to BPE characters and
    // must not add a leading space (llama.cpp adds none).
    steps.push(ByteLevel::new(false, false, false).into());
    Ok(Sequence::new(steps).into())
}

/// Bytes of a GPT-2 byte-level token text; characters outside the table keep their UTF-8 bytes.
fn decode_byte_level(text: &str, decoder: &[Option<u8>]) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len());
    for c in text.chars() {
        match decoder.get(c as usize).copied().flatten() {
            Some(b) => out.push(b),
            None => {
                let mut buf = [0u8; 4];
                out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
            }
        }
    }
    out
}

/// The byte of a `<0xAB>` byte token.
fn byte_token(text: &str) -> Option<Vec<u8>> {
    let hex = text.strip_prefix("<0x")?.strip_suffix('>')?;
    u8::from_str_radix(hex, 16).ok().map(|b| vec![b])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn byte_decoder_inverts_gpt2_table() {
        let d = byte_decoder();
        assert_eq!(d['A' as usize], Some(b'A'));
        // Space is moved to U+0120 ('Ġ'), newline to U+010A ('Ċ').
        assert_eq!(d[0x120], Some(b' '));
        assert_eq!(d[0x10A], Some(b'\n'));
        assert_eq!(d.iter().flatten().count(), 256);
    }

    #[test]
    fn byte_level_text_decodes_to_utf8() {
        let d = byte_decoder();
        assert_eq!(decode_byte_level("ĠHello", &d), b" Hello");
        // "é" is two bytes, 0xC3 0xA9, written as 'Ã' and '©'.
        assert_eq!(decode_byte_level("Ã©", &d), "é".as_bytes());
    }

    #[test]
    fn byte_tokens_parse() {
        assert_eq!(byte_token("<0x0A>"), Some(vec![b'\n']));
        assert_eq!(byte_token("hello"), None);
    }
}
