//! Nodes: `bkgctl nodes ls`.

use bkg_core::cluster::{NodeList, NodeState};
use bkg_core::plugin::PluginState;
use comfy_table::Cell;

use crate::output::table::{self, Tone};
use crate::output::{Render, Style, human};

fn state_tone(s: NodeState) -> Tone {
    match s {
        NodeState::Up => Tone::Good,
        NodeState::Down => Tone::Bad,
        NodeState::Stopped => Tone::Plain,
    }
}

impl Render for NodeList {
    fn human(&self, style: &Style) -> String {
        let rows = self
            .nodes
            .iter()
            .map(|n| {
                let running = n.plugins.iter().filter(|p| p.status == PluginState::Running).count();
                vec![
                    Cell::new(if n.current { "*" } else { "" }),
                    Cell::new(&n.name),
                    table::tone(style, n.state.as_str(), state_tone(n.state)),
                    Cell::new(&n.url),
                    Cell::new(&n.version),
                    Cell::new(format!("{running}/{}", n.plugins.len())),
                    Cell::new(if n.current { "now".to_string() } else { human::ago(n.last_seen) }),
                ]
            })
            .collect();
        table::list(style, &["CURRENT", "NAME", "STATE", "URL", "VERSION", "RUNNING", "LAST SEEN"], rows)
    }

    fn ids(&self) -> Vec<String> {
        self.nodes.iter().map(|n| n.name.clone()).collect()
    }
}
