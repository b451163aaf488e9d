//! Chat prompts rendered from the model's own Jinja chat template (`tokenizer.chat_template`
//! in the GGUF), the way llama.cpp's Python bindings and Hugging Face transformers render it:
//! `trim_blocks` and `lstrip_blocks` on, Python string methods available, `raise_exception`
//! and the model's `bos_token` / `eos_token` in scope.

use minijinja::{Environment, ErrorKind, Value, context, syntax::SyntaxConfig};
use serde::{Deserialize, Serialize};

use crate::{Error, Result};

/// One message of a conversation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChatMessage {
    /// `system`, `user` or `assistant` (templates may know more roles).
    pub role: String,
    pub content: String,
}

impl ChatMessage {
    /// A message with `role` and `content`.
    pub fn new(role: impl Into<String>, content: impl Into<String>) -> Self {
        Self { role: role.into(), content: content.into() }
    }
}

/// A compiled chat template.
pub struct ChatTemplate {
    env: Environment<'static>,
    bos_token: String,
    eos_token: String,
}

impl std::fmt::Debug for ChatTemplate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ChatTemplate")
            .field("bos_token", &self.bos_token)
            .field("eos_token", &self.eos_token)
            .finish_non_exhaustive()
    }
}

const NAME: &str = "chat_template";

impl ChatTemplate {
    /// Compiles `source`; `bos_token` and `eos_token` are the texts templates may insert.
    pub fn new(source: &str, bos_token: String, eos_token: String) -> Result<Self> {
        let mut env = Environment::new();
        let syntax = SyntaxConfig::builder()
            .trim_blocks(true)
            .lstrip_blocks(true)
            .build()
            .map_err(|e| Error::Template(e.to_string()))?;
        env.set_syntax(syntax);
        // Templates written for Python Jinja call str methods such as `.strip()`.
        env.set_unknown_method_callback(minijinja_contrib::pycompat::unknown_method_callback);
        env.add_function("raise_exception", |message: String| -> Result<Value, minijinja::Error> {
            Err(minijinja::Error::new(ErrorKind::InvalidOperation, message))
        });
        env.add_template_owned(NAME, source.to_string())
            .map_err(|e| Error::Template(format!("cannot compile: {e}")))?;
        Ok(Self { env, bos_token, eos_token })
    }

    /// The prompt for `messages`; with `add_generation_prompt` it ends where the assistant's
    /// answer begins.
    pub fn render(&self, messages: &[ChatMessage], add_generation_prompt: bool) -> Result<String> {
        if messages.is_empty() {
            return Err(Error::EmptyInput("no chat messages"));
        }
        let template = self.env.get_template(NAME).map_err(|e| Error::Template(e.to_string()))?;
        template
            .render(context! {
                messages => messages
                    .iter()
                    .map(|m| context! { role => &m.role, content => &m.content })
                    .collect::<Vec<Value>>(),
                add_generation_prompt => add_generation_prompt,
                bos_token => &self.bos_token,
                eos_token => &self.eos_token,
            })
            .map_err(|e| Error::Template(format!("cannot render: {e}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CHATML: &str = "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\n' + \
        message['content'] + '<|im_end|>' + '\n'}}{% endfor %}\
        {% if add_generation_prompt %}{{ '<|im_start|>assistant\n' }}{% endif %}";

    #[test]
    fn renders_chatml_with_generation_prompt() {
        let t = ChatTemplate::new(CHATML, String::new(), "<|im_end|>".into()).expect("valid template");
        let prompt = t
            .render(&[ChatMessage::new("system", "Be brief."), ChatMessage::new("user", "Hi")], true)
            .expect("renders");
        assert_eq!(
            prompt,
            "<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n"
        );
    }

    #[test]
    fn python_methods_and_raise_exception_work() {
        let src = "{% if messages[0].role != 'user' %}{{ raise_exception('user first') }}{% endif %}\
                   {{ messages[0].content.strip() }}";
        let t = ChatTemplate::new(src, String::new(), String::new()).expect("valid template");
        assert_eq!(t.render(&[ChatMessage::new("user", "  x  ")], false).expect("renders"), "x");
        let err = t.render(&[ChatMessage::new("system", "x")], false).expect_err("must raise");
        assert!(err.to_string().contains("user first"), "{err}");
    }

    #[test]
    fn block_tags_do_not_leave_whitespace() {
        let src = "{% for m in messages %}\n  {{ m.content }}\n{% endfor %}";
        let t = ChatTemplate::new(src, String::new(), String::new()).expect("valid template");
        let out = t
            .render(&[ChatMessage::new("user", "a"), ChatMessage::new("user", "b")], false)
            .expect("renders");
        assert_eq!(out, "  a\n  b\n");
    }

    #[test]
    fn no_messages_is_an_error() {
        let t = ChatTemplate::new(CHATML, String::new(), String::new()).expect("valid template");
        assert!(matches!(t.render(&[], true), Err(Error::EmptyInput(_))));
    }
}
