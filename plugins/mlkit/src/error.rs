//! The crate's one error type: every failure a caller can act on has its own variant.

use std::path::PathBuf;

/// Result alias used throughout the crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// What went wrong while loading a model or running it.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A file or folder the model needs does not exist.
    #[error("model file not found: {0}")]
    NotFound(PathBuf),

    /// A model file exists but could not be read.
    #[error("cannot read {path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    /// A model file was read but its content is not what the model needs.
    #[error("invalid model file {path}: {message}")]
    InvalidModel { path: PathBuf, message: String },

    /// The model is valid but uses something this crate does not implement.
    #[error("unsupported model: {0}")]
    Unsupported(String),

    /// The caller gave nothing to work on (no texts, no messages, no prompt tokens).
    #[error("empty input: {0}")]
    EmptyInput(&'static str),

    /// The prompt does not fit into the model's context window.
    #[error(
        "the prompt has {prompt_tokens} tokens but the context holds {context_length}; \
         shorten the conversation"
    )]
    PromptTooLong { prompt_tokens: usize, context_length: usize },

    /// A generation or embedding parameter is out of range.
    #[error("invalid parameter `{name}`: {message}")]
    InvalidParameter { name: &'static str, message: String },

    /// Tokenizing or detokenizing failed.
    #[error("tokenizer: {0}")]
    Tokenizer(String),

    /// The model has no chat template, or rendering it failed.
    #[error("chat template: {0}")]
    Template(String),

    /// The thread pool for model compute could not be started.
    #[error("cannot start a pool of {threads} compute threads: {message}")]
    ThreadPool { threads: usize, message: String },

    /// A tensor operation failed inside candle.
    #[error("model computation failed: {0}")]
    Compute(#[from] candle_core::Error),
}

impl Error {
    /// Maps an I/O error on `path` to [`Error::NotFound`] or [`Error::Io`].
    pub(crate) fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        let path = path.into();
        if source.kind() == std::io::ErrorKind::NotFound {
            Error::NotFound(path)
        } else {
            Error::Io { path, source }
        }
    }

    /// Whether the caller can fix it by changing the input (empty input, a prompt too long, a
    /// parameter out of range), as opposed to a problem of the model or the machine.
    pub fn is_caller_error(&self) -> bool {
        matches!(self, Error::InvalidParameter { .. } | Error::EmptyInput(_) | Error::PromptTooLong { .. })
    }

    pub(crate) fn invalid_model(path: impl Into<PathBuf>, message: impl std::fmt::Display) -> Self {
        Error::InvalidModel { path: path.into(), message: message.to_string() }
    }
}
