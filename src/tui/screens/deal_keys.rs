//! The keys the board and a deal's page share, on the deal they act on: move it a stage on
//! or back, won, lost, reopen, edit. Each goes through the op of the same CLI command; after
//! it the screen shows the deal as it is now (`refresh`).

use crate::domain::deal::{Deal, DealStatus};
use crate::error::Result;
use crate::ops::deals::cancelled_words;
use crate::tui::action::Action;
use crate::tui::keymap::Context;
use crate::tui::popups::Popup;
use crate::tui::popups::deal_form::DealForm;
use crate::tui::popups::lost_reason::LostReason;
use crate::tui::screen::{Cx, Effect};

/// How many earlier lost reasons the lost popup offers.
pub const REASONS_OFFERED: usize = 6;

/// The stage `step` away from `stage` among `names`; an unstaged deal moves into the first
/// stage (on) or the last (back).
pub fn neighbour(names: &[&str], stage: &str, step: isize) -> Option<String> {
    let key = crate::config::stage_key(stage);
    let at = names
        .iter()
        .position(|s| crate::config::stage_key(s) == key);
    let target = match at {
        Some(i) => i as isize + step,
        None if step > 0 => 0,
        None => names.len() as isize - 1,
    };
    usize::try_from(target)
        .ok()
        .and_then(|t| names.get(t))
        .map(|s| s.to_string())
}

/// The shared actions on deal `d`; false for an action that is not one of them.
pub fn act(d: &Deal, action: Action, cx: &mut Cx) -> bool {
    match action {
        Action::Won => won(d, cx),
        Action::Reopen => reopen(d, cx),
        Action::Lost => lost(d, cx),
        Action::Edit => cx.popup(Popup::DealForm(Box::new(DealForm::edit(d, cx.desk)))),
        _ => return false,
    }
    true
}

/// Moves `d` to `target`, the stage `step` away (none past the first or last).
pub fn move_to(d: &Deal, target: Option<String>, step: isize, cx: &mut Cx) {
    if d.status != DealStatus::Open {
        return cx.say(format!(
            "\"{}\" is {}; only open deals move",
            d.title, d.status
        ));
    }
    let Some(stage) = target else {
        let end = if step > 0 { "last" } else { "first" };
        return cx.say(format!(
            "\"{}\" is in the {end} stage; W marks it won, L lost",
            d.title
        ));
    };
    let (id, version) = (d.id, d.version);
    let msg = format!("\"{}\" → {stage}", d.title);
    cx.later(move |desk| after_change(id, desk.move_deal(id, &stage, Some(version)), msg));
}

fn won(d: &Deal, cx: &mut Cx) {
    let (id, version, title) = (d.id, d.version, d.title.clone());
    cx.later(move |desk| {
        let r = desk.close_deal_saying(id, DealStatus::Won, None, false, Some(version));
        let mut said = vec![format!("won: \"{title}\"")];
        let mut renewed = false;
        if let Ok((n, opened)) = &r {
            said.extend(cancelled_words(*n));
            said.extend(opened.words());
            renewed = opened.renewal.is_some();
        }
        let msg = format!("{} (u undoes)", said.join("; "));
        let mut fx = after_change(id, r.map(|_| ()), msg);
        // The renewal may be on this very board (a pipeline that renews into itself): read
        // it again rather than only the deal that was won.
        if renewed {
            fx.push(Effect::Reload);
        }
        fx
    });
}

fn lost(d: &Deal, cx: &mut Cx) {
    if d.status != DealStatus::Open {
        return cx.say(format!("\"{}\" is already {}", d.title, d.status));
    }
    let d = d.clone();
    cx.later_held(move |desk| match desk.lost_reasons(REASONS_OFFERED) {
        Ok(r) => vec![Effect::Popup(Popup::LostReason(Box::new(LostReason::new(
            &d, r,
        ))))],
        Err(e) => vec![Effect::Fail(e)],
    });
}

/// Reopens a won or lost deal through `deal reopen`'s op; it goes back to the stage it
/// closed in, and the selection follows it there.
fn reopen(d: &Deal, cx: &mut Cx) {
    if d.status == DealStatus::Open {
        let closed = cx.keymap.keys_of(Context::Pipeline, Action::ShowClosed);
        return cx.say(format!(
            "\"{}\" is open; only won and lost deals reopen ({closed} shows them)",
            d.title
        ));
    }
    let (id, version) = (d.id, d.version);
    let msg = format!("reopened \"{}\" in {} (u undoes)", d.title, d.stage);
    cx.later(move |desk| after_change(id, desk.reopen_deal(id, Some(version)), msg));
}

/// After an op on one deal: say what happened (or why not) and show the deal as it is now.
fn after_change(id: i64, r: Result<()>, msg: String) -> Vec<Effect> {
    match r {
        Ok(()) => vec![Effect::Say(msg), Effect::Changed(id)],
        // A conflict reloads everything (App::fail), so the board shows the deal as it is.
        Err(e) => vec![Effect::Fail(e)],
    }
}
