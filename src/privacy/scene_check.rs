//! Refuses a scene whose own words hold a private value.
//!
//! In: the parsed [`Scene`] and the machine's [`Identity`]. Out: nothing,
//! or a message naming the part of the scene that holds a private value
//! and its kind (never the value), before anything runs.

use super::identity::Identity;
use crate::scene::{Action, Scene};

/// The scene's own words are shown as written — typed commands and text,
/// prompts, pane names, the title, the status line, markers — and a cast
/// must not carry a private value, so a scene that holds one is refused
/// before anything runs. Says which part holds which kind.
pub fn check_scene(scene: &Scene, identity: &Identity) -> Result<(), String> {
    if identity.is_empty() {
        return Ok(());
    }
    let mut texts: Vec<(String, &str)> = Vec::new();
    if let Some(title) = &scene.title {
        texts.push((
            "the title (it is in the cast's header and the status line)".into(),
            title,
        ));
    }
    if let Some(status) = &scene.status {
        texts.push(("the status line's text".into(), &status.right));
    }
    for pane in &scene.panes {
        texts.push((format!("pane \"{}\": its name", pane.name), &pane.name));
        texts.push((format!("pane \"{}\": its prompt", pane.name), &pane.prompt));
    }
    for (i, step) in scene.steps.iter().enumerate() {
        let text = match &step.action {
            Action::Run { command, .. } => command,
            Action::Type { text, .. } => text,
            Action::Marker(label) => label,
            _ => continue,
        };
        let place = format!("step {} ({}, line {}): its text", i + 1, step.action.kind(), step.line);
        texts.push((place, text));
    }
    match texts
        .iter()
        .find_map(|(place, text)| Some((place, identity.find(text)?.1)))
    {
        None => Ok(()),
        Some((place, kind)) => Err(format!(
            "{place} holds the recording machine's {what}, which a cast must not show; nothing was recorded. \
             Write something else there, or publish it with `{key} = false` in [privacy]",
            what = kind.describe(),
            key = kind.key()
        )),
    }
}
