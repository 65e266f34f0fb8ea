//! Where the nodes of a tree are, as JSON pointers: selections hold nodes, and only the few a
//! check looks at or reports need to say where they are.

use super::compiled::{push_token, Token};
use serde_json::Value;
use std::cell::OnceCell;

/// The way to every node under a root, noted once; a node's pointer is written when first
/// asked for (writing them all would take the sum of all path lengths).
pub struct Locations<'v> {
    /// (parent, step from it, pointer once written) per node, in document order; the root
    /// comes first.
    steps: Vec<(u32, Token<'v>, OnceCell<String>)>,
    /// (node address, index in `steps`), by address.
    by_address: Vec<(usize, u32)>,
}

impl<'v> Locations<'v> {
    pub fn new(root: &'v Value) -> Locations<'v> {
        // Most manifests have fewer nodes: one allocation each.
        let mut found = Locations {
            steps: Vec::with_capacity(128),
            by_address: Vec::with_capacity(128),
        };
        found.add(root, 0, Token::Index(0));
        found
            .by_address
            .sort_unstable_by_key(|(address, _)| *address);
        found
    }

    fn add(&mut self, node: &'v Value, parent: u32, step: Token<'v>) {
        let at = self.steps.len() as u32;
        self.steps.push((parent, step, OnceCell::new()));
        self.by_address.push((address(node), at));
        match node {
            Value::Array(items) => {
                for (i, child) in items.iter().enumerate() {
                    self.add(child, at, Token::Index(i));
                }
            }
            Value::Object(map) => {
                for (key, child) in map {
                    self.add(child, at, Token::Key(key));
                }
            }
            _ => {}
        }
    }

    /// The pointer of `node` from the root, or `None` for a node from elsewhere.
    pub fn of(&self, node: &Value) -> Option<&str> {
        let at = self
            .by_address
            .binary_search_by_key(&address(node), |(address, _)| *address)
            .ok()?;
        Some(self.pointer(self.by_address[at].1 as usize))
    }

    /// Written from the parent's pointer, which siblings share.
    fn pointer(&self, at: usize) -> &str {
        let (parent, step, written) = &self.steps[at];
        written.get_or_init(|| {
            if at == 0 {
                return String::new();
            }
            let base = self.pointer(*parent as usize);
            let step_len = match step {
                Token::Key(key) => key.len(),
                Token::Index(_) => 20,
            };
            let mut pointer = String::with_capacity(base.len() + 1 + step_len);
            pointer.push_str(base);
            push_token(&mut pointer, step);
            pointer
        })
    }
}

/// Nodes of one tree never share an address: each is a slot of its parent's storage.
fn address(node: &Value) -> usize {
    node as *const Value as usize
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn every_node_has_its_pointer() {
        let v = json!({"a": [1, {"b/c": "x", "~": null}], "": true});
        let at = Locations::new(&v);
        assert_eq!(at.of(&v), Some(""));
        for pointer in ["/a", "/a/0", "/a/1", "/a/1/b~1c", "/a/1/~0", "/", "/a/1"] {
            let node = v.pointer(pointer).unwrap();
            assert_eq!(at.of(node), Some(pointer));
        }
        assert_eq!(at.of(&json!(1)), None);
    }
}
