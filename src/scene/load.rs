//! Loading a scene: a file (or a text, its name and its folder) in, a
//! validated [`Scene`] or every problem found out. The text is parsed into
//! a spanned tree by its syntax, then validated.

use std::path::Path;

use super::diagnostic::{Diagnostic, SceneError};
use super::model::Scene;
use super::{json, node, validate};

/// A scene file larger than this is refused before parsing.
pub const MAX_SCENE_BYTES: u64 = 1024 * 1024;

/// The language a scene is written in: TOML or JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Syntax {
    Toml,
    Json,
}

impl Syntax {
    /// JSON for `.json` files, TOML otherwise.
    pub fn of(path: &Path) -> Self {
        match path.extension().and_then(|e| e.to_str()) {
            Some(ext) if ext.eq_ignore_ascii_case("json") => Syntax::Json,
            _ => Syntax::Toml,
        }
    }
}

/// Why a scene file could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("cannot read scene {path}: {reason}")]
    Read { path: String, reason: String },
    #[error(transparent)]
    Scene(#[from] SceneError),
}

/// Reads, parses and validates a scene file; relative `cwd`s are taken from
/// the file's folder.
pub fn parse_file(path: &Path, overrides: &[(String, String)]) -> Result<Scene, LoadError> {
    let fail = |reason: String| LoadError::Read {
        path: path.display().to_string(),
        reason,
    };
    let len = std::fs::metadata(path).map_err(|e| fail(e.to_string()))?.len();
    if len > MAX_SCENE_BYTES {
        return Err(fail(format!(
            "the file is {len} bytes; a scene may be at most {MAX_SCENE_BYTES}"
        )));
    }
    let bytes = std::fs::read(path).map_err(|e| fail(e.to_string()))?;
    let text = String::from_utf8(bytes)
        .map_err(|e| fail(format!("not UTF-8 text (at byte {})", e.utf8_error().valid_up_to())))?;
    let base = path.parent().unwrap_or(Path::new(""));
    Ok(parse(
        &path.display().to_string(),
        &text,
        Syntax::of(path),
        base,
        overrides,
    )?)
}

/// Parses and validates scene `text`. `name` names the source in messages;
/// `overrides` are `--set` variables, which win over `[vars]`.
pub fn parse(
    name: &str,
    text: &str,
    format: Syntax,
    base: &Path,
    overrides: &[(String, String)],
) -> Result<Scene, SceneError> {
    let fail = |mut diagnostics: Vec<Diagnostic>| {
        diagnostics.sort_by_key(|d| d.span.start);
        SceneError {
            file: name.to_string(),
            source_text: text.to_string(),
            diagnostics,
        }
    };
    let root = match format {
        Syntax::Toml => node::from_toml(text),
        Syntax::Json => json::from_json(text),
    }
    .map_err(fail)?;
    validate::scene(&root, text, base, overrides).map_err(fail)
}
