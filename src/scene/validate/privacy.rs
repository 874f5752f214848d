//! `[privacy]` in, [`Privacy`] out: which of the recording user's details
//! are replaced, and the scene's own redactions with their regexes
//! compiled.

use crate::scene::model::{Privacy, Redact};
use crate::scene::node::Node;
use crate::scene::reader::Reader;

pub const PRIVACY_KEYS: &[&str] = &["user", "host", "home", "redact"];
pub const REDACT_KEYS: &[&str] = &["regex", "replace"];

/// `[privacy]` over the defaults (everything of the user's hidden).
pub fn privacy(r: &mut Reader, node: &Node) -> Privacy {
    let mut privacy = Privacy::default();
    let Some(mut t) = r.table(node, "[privacy]") else {
        return privacy;
    };
    for (key, field) in [
        ("user", &mut privacy.user),
        ("host", &mut privacy.host),
        ("home", &mut privacy.home),
    ] {
        if let Some(n) = t.take(key) {
            *field = r.bool(n).unwrap_or(true);
        }
    }
    if let Some(list) = t.take("redact") {
        privacy.redact = list.items().into_iter().filter_map(|item| redaction(r, item)).collect();
    }
    t.finish(r, PRIVACY_KEYS);
    privacy
}

/// One `{ regex, replace }` table.
fn redaction(r: &mut Reader, node: &Node) -> Option<Redact> {
    let mut t = r.table(node, "a redaction")?;
    let regex = t.require(r, "regex");
    let replace = t.require(r, "replace").and_then(|n| r.text(n));
    t.finish(r, REDACT_KEYS);
    let node = regex?;
    let regex = r.regex(node, |pattern| {
        regex::bytes::RegexBuilder::new(pattern).size_limit(1 << 20).build()
    })?;
    if regex.is_match(b"") {
        r.error(
            "this regex matches empty text: it would redact everything",
            node.span.clone(),
        );
        return None;
    }
    Some(Redact {
        regex,
        replace: replace?,
    })
}
