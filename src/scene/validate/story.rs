//! The layout as the story goes: the panes that `open` steps open start
//! off screen, and each step that changes the layout is made in turn from
//! the layout the panes and `layout` give. A step that acts on a pane must
//! find it open, and typing into a pane needs it on screen.
//!
//! In: the steps as read, with their places, and the layout at the start.
//! Out: a problem at the step for each change that cannot be made (no room
//! to split, the last pane closed, nothing zoomed) and each step whose
//! pane is not there; the director makes the same changes, which then
//! cannot fail.

use super::steps::StepSpans;
use crate::scene::model::{Action, PaneSpec, Step};
use crate::scene::reader::Reader;
use crate::screen::layout::{Layout, LayoutError};

/// Which panes a step opens: they are not on screen at the start.
pub fn opened_later(steps: &[(Step, StepSpans)], panes: usize) -> Vec<bool> {
    let mut later = vec![false; panes];
    for (step, _) in steps {
        if matches!(step.action, Action::Open(_))
            && let Some(slot) = later.get_mut(step.pane)
        {
            *slot = true;
        }
    }
    later
}

/// Reports, where the first pane opens, a scene whose every pane is
/// opened by a step.
pub fn none_at_start(r: &mut Reader, steps: &[(Step, StepSpans)]) {
    if let Some((_, spans)) = steps.iter().find(|(s, _)| matches!(s.action, Action::Open(_))) {
        r.error(
            "every pane is opened by a step: at least one pane must be on screen from the start",
            spans.pane_or_action(),
        );
    }
}

/// Makes the story's layout changes from `start`, reporting each that
/// cannot be made and each step whose pane is not there.
pub fn story(r: &mut Reader, start: &Layout, steps: &[(Step, StepSpans)], panes: &[PaneSpec]) {
    let mut layout = start.clone();
    let name = |p: usize| panes.get(p).map_or("", |spec| spec.name.as_str());
    for (step, spans) in steps {
        let pane = step.pane;
        let needs_pane = !matches!(
            step.action,
            Action::Open(_)
                | Action::Pause(_)
                | Action::Marker(_)
                | Action::Hide
                | Action::Show
                | Action::Layout(_)
                | Action::Zoom(false)
                | Action::Caption(_)
        );
        if needs_pane && !layout.is_open(pane) {
            let msg = format!(
                "pane \"{}\" is not on screen at this step: an open step puts it there, and a close step takes it away",
                name(pane)
            );
            r.error(msg, spans.pane_or_action());
            continue;
        }
        if (step.action.is_input() || matches!(step.action, Action::Focus)) && !layout.is_shown(pane) {
            let zoomed = layout.zoomed().map_or("", name);
            let msg = format!(
                "pane \"{}\" is hidden behind pane \"{zoomed}\", which is zoomed: undo the zoom first (zoom = false)",
                name(pane)
            );
            r.error(msg, spans.pane_or_action());
            continue;
        }
        let changed = match &step.action {
            Action::Open(split) if layout.is_open(pane) => {
                let msg = format!(
                    "pane \"{}\" is already on screen here: open is for a pane that is not",
                    name(pane)
                );
                r.error(msg, spans.pane_or_action());
                continue;
            }
            Action::Open(split) if !layout.is_open(split.pane) => {
                let msg = format!(
                    "pane \"{}\" is not on screen here, so it cannot be split",
                    name(split.pane)
                );
                r.error(msg, spans.action.clone());
                continue;
            }
            Action::Zoom(false) if layout.zoomed().is_none() => {
                r.error(
                    "no pane is zoomed here: zoom = false undoes a zoom",
                    spans.action.clone(),
                );
                continue;
            }
            action if action.changes_layout() => action.next_layout(&layout, pane),
            _ => continue,
        };
        match changed {
            Ok(next) => layout = next,
            Err(e) => {
                let msg = match e {
                    LayoutError::NoRoomToSplit { .. } => {
                        "no room to split the pane here: it needs three cells along the split (two panes and a border)"
                            .to_string()
                    }
                    LayoutError::LastPane => {
                        "this is the last pane on screen: a scene always shows one (close another, or end the story)"
                            .to_string()
                    }
                    other => other.to_string(),
                };
                r.error(msg, spans.action.clone());
            }
        }
    }
}
