//! A builder for `CapabilitySpec`, the capability description a plugin announces in its hello,
//! so plugin code reads as "name, description, schemas" instead of a five-field struct literal.

use bkg_core::plugin::CapabilitySpec;
use serde_json::{Value, json};

/// Starts describing a capability; pass the result to [`crate::Plugin::capability`].
pub fn capability(name: impl Into<String>) -> CapabilityBuilder {
    CapabilityBuilder {
        spec: CapabilitySpec {
            name: name.into(),
            description: String::new(),
            input_schema: json!({}),
            output_schema: json!({}),
            streaming: false,
            permission: None,
        },
    }
}

#[derive(Debug, Clone)]
pub struct CapabilityBuilder {
    spec: CapabilitySpec,
}

impl CapabilityBuilder {
    pub fn description(mut self, description: impl Into<String>) -> Self {
        self.spec.description = description.into();
        self
    }

    /// The JSON schema the daemon validates every input against.
    pub fn input_schema(mut self, schema: Value) -> Self {
        self.spec.input_schema = schema;
        self
    }

    /// The JSON schema of the final output (documentation for callers).
    pub fn output_schema(mut self, schema: Value) -> Self {
        self.spec.output_schema = schema;
        self
    }

    /// The capability sends `chunk`s before its result.
    pub fn streaming(mut self) -> Self {
        self.spec.streaming = true;
        self
    }

    /// Callers need `permission` besides `plugins:invoke` (e.g. `plugins:admin` for a
    /// capability that touches files). The plugin's manifest may override it; see
    /// `docs/PROTOCOL.md`.
    pub fn permission(mut self, permission: bkg_core::auth::Permission) -> Self {
        self.spec.permission = Some(permission);
        self
    }

    pub fn build(self) -> CapabilitySpec {
        self.spec
    }
}

impl From<CapabilityBuilder> for CapabilitySpec {
    fn from(b: CapabilityBuilder) -> Self {
        b.spec
    }
}
