//! The steps that change the layout: a pane opened by splitting another,
//! closed, resized or zoomed, and the open panes placed by a preset.
//!
//! In: the step's change, made to the layout on screen (validation made
//! the same changes, so they fit). Out: the new layout drawn at the step's
//! time; each program whose pane changed size told so through its
//! terminal (SIGWINCH) and its redraw stamped at that time; an opened
//! pane's program started, a closed one's hung up.

use std::io::Write;

use crate::director::Director;
use crate::director::failure::Fault;
use crate::director::frames::Echo;
use crate::scene::Action;

impl<W: Write> Director<'_, W> {
    /// Makes a step's change to the layout in `pane`.
    pub(super) async fn change_layout(&mut self, pane: usize, action: &Action) -> Result<(), Fault> {
        self.stage.sync()?;
        let now = self.stage.frames.layout().clone();
        let next = action
            .next_layout(&now, pane)
            .map_err(|e| Fault::Problem(e.to_string()))?;
        if matches!(action, Action::Close) {
            // Hung up, as tmux's kill-pane does: what it was running is not
            // the step's to judge.
            let closed = &mut self.stage.panes[pane];
            closed.job = None;
            closed.process = None;
        }
        let opened = matches!(action, Action::Open(_)).then_some(pane);
        if let Some(pane) = opened {
            let size = next.panes[pane].size;
            self.stage.panes[pane] = self.fresh_pane(pane, size);
        }
        let at = self.stage.frames.now();
        let mut resized = Vec::new();
        for p in (0..next.panes.len()).filter(|&p| Some(p) != opened && next.is_shown(p)) {
            let size = next.panes[p].size;
            if now.is_shown(p) && now.panes[p].size == size {
                continue;
            }
            let shown = &mut self.stage.panes[p];
            shown.term.resize(size);
            if let Some(program) = &shown.process {
                program.resize(size).map_err(|e| Fault::OfPane {
                    pane: p,
                    problem: format!("cannot resize the pane's terminal: {e}"),
                })?;
                shown.resized_at = Some(tokio::time::Instant::now());
                self.stage.frames.clock_mut().input(p);
                resized.push(p);
            }
        }
        self.stage.frames.set_layout(next);
        // The pane a step opens or zooms is the active one, as in tmux; one
        // closed leaves the focus to the first pane on screen.
        let layout = self.stage.frames.layout();
        let focus = match action {
            Action::Open(_) | Action::Zoom(true) => pane,
            _ if !layout.is_shown(self.stage.frames.focus()) => {
                (0..layout.panes.len()).find(|&p| layout.is_shown(p)).unwrap_or(0)
            }
            _ => self.stage.frames.focus(),
        };
        self.set_focus(focus);
        if let Some(pane) = opened {
            self.start_panes(&[pane]).await?;
        }
        self.stage.flush()?;
        for p in resized {
            self.stage.settle(p, Echo::of(at)).await?;
        }
        Ok(())
    }
}
