//! The board's and the deal view's keys: moves, won, lost, reopen, add and edit, opening a
//! deal and going back. `App::apply` hands each action here first.

use crate::domain::deal::Deal;
use crate::domain::deal::DealStatus;
use crate::error::Result;
use crate::ops::deals::cancelled_words;
use crate::tui::action::Action;
use crate::tui::app::{App, Screen};
use crate::tui::keymap::Context;
use crate::tui::nav::Target;
use crate::tui::popups::Popup;
use crate::tui::popups::deal_form::DealForm;
use crate::tui::popups::lost_reason::LostReason;
use crate::tui::screens::deal::DealScreen;
use crate::tui::screens::pipeline::{PipelineScreen, REASONS_OFFERED, neighbour};

/// The board's part of `App::apply`: returns whether the action was the board's (or the
/// deal view's) to handle.
pub fn apply(app: &mut App, action: Action) -> bool {
    match (&mut app.screen, action) {
        (
            Screen::Today
            | Screen::Contact(_)
            | Screen::Contacts
            | Screen::Company(_)
            | Screen::Deal(_)
            | Screen::Reports(_),
            Action::TabPipeline,
        ) => {
            open_board(app);
            true
        }
        (Screen::Pipeline(_), Action::TabPipeline) => true,
        (Screen::Pipeline(p), Action::Down) => {
            p.move_row(1);
            true
        }
        (Screen::Pipeline(p), Action::Up) => {
            p.move_row(-1);
            true
        }
        (Screen::Pipeline(p), Action::Top) => {
            p.move_row(isize::MIN);
            true
        }
        (Screen::Pipeline(p), Action::Bottom) => {
            p.move_row(isize::MAX);
            true
        }
        (Screen::Pipeline(p), Action::Left) => {
            p.move_col(-1);
            true
        }
        (Screen::Pipeline(p), Action::Right) => {
            p.move_col(1);
            true
        }
        (Screen::Pipeline(p), Action::Filter) => {
            p.filtering = true;
            true
        }
        (Screen::Pipeline(p), Action::Cancel) => {
            p.clear_filter();
            true
        }
        (Screen::Pipeline(p), Action::ShowClosed) => {
            let r = p.toggle_closed(&mut app.desk);
            let shown = p.show_closed;
            app.board_closed = shown;
            match r {
                Ok(()) if shown => app.say("showing the deals won and lost this month"),
                Ok(()) => app.say("showing open deals only"),
                Err(e) => app.fail(&e),
            }
            true
        }
        (Screen::Pipeline(p), Action::Open) => {
            let Some(id) = p.selected_id() else {
                app.say("no deal selected");
                return true;
            };
            let Screen::Pipeline(board) = std::mem::replace(&mut app.screen, Screen::Today) else {
                return true;
            };
            match DealScreen::open(&mut app.desk, id, Some(board)) {
                Ok(d) => app.screen = Screen::Deal(Box::new(d)),
                Err((e, board)) => {
                    if let Some(b) = board {
                        app.screen = Screen::Pipeline(b);
                    }
                    app.fail(&e);
                }
            }
            true
        }
        (Screen::Deal(d), Action::Back) => {
            let board = d.board.take();
            match board {
                Some(mut b) => {
                    if let Err(e) = b.load(&mut app.desk) {
                        app.fail(&e);
                    }
                    app.screen = Screen::Pipeline(b);
                }
                // Opened from search, a contact or a company: back there.
                None if !app.history.is_empty() => app.back(),
                None => open_board(app),
            }
            true
        }
        (Screen::Deal(d), Action::Open) => {
            let id = d.deal.contact_id;
            app.go(Target::Contact(id));
            true
        }
        (Screen::Deal(d), Action::Down) => {
            d.scroll = d.scroll.saturating_add(1);
            true
        }
        (Screen::Deal(d), Action::Up) => {
            d.scroll = d.scroll.saturating_sub(1);
            true
        }
        (Screen::Deal(d), Action::Top) => {
            d.scroll = 0;
            true
        }
        (Screen::Deal(d), Action::Bottom) => {
            d.scroll = u16::MAX / 2;
            true
        }
        (Screen::Pipeline(_) | Screen::Deal(_), Action::MoveBack | Action::MoveOn) => {
            let step = if action == Action::MoveOn { 1 } else { -1 };
            move_selected(app, step);
            true
        }
        (Screen::Pipeline(_) | Screen::Deal(_), Action::Won) => {
            if let Some(d) = focus_deal(app) {
                let r = app
                    .desk
                    .close_deal(d.id, DealStatus::Won, None, false, Some(d.version));
                let cancelled = r.as_ref().ok().copied().and_then(cancelled_words);
                let msg = match cancelled {
                    Some(c) => format!("won: \"{}\"; {c} (u undoes)", d.title),
                    None => format!("won: \"{}\" (u undoes)", d.title),
                };
                after_change(app, d.id, r.map(|_| ()), msg);
            }
            true
        }
        (Screen::Pipeline(_) | Screen::Deal(_), Action::Reopen) => {
            if let Some(d) = focus_deal(app) {
                reopen(app, &d);
            }
            true
        }
        (Screen::Pipeline(_) | Screen::Deal(_), Action::Lost) => {
            if let Some(d) = focus_deal(app) {
                if d.status != DealStatus::Open {
                    app.say(format!("\"{}\" is already {}", d.title, d.status));
                    return true;
                }
                let offered = app.desk.lost_reasons(REASONS_OFFERED);
                match offered {
                    Ok(r) => app.popup = Some(Popup::LostReason(Box::new(LostReason::new(&d, r)))),
                    Err(e) => app.fail(&e),
                }
            }
            true
        }
        (Screen::Pipeline(p), Action::AddDeal) => {
            let stage = p
                .selected_stage()
                .unwrap_or_else(|| app.desk.config.first_stage());
            let form = DealForm::add(&mut app.desk, &stage);
            app.popup = Some(Popup::DealForm(Box::new(form)));
            true
        }
        (Screen::Pipeline(_) | Screen::Deal(_), Action::Edit) => {
            if let Some(d) = focus_deal(app) {
                app.popup = Some(Popup::DealForm(Box::new(DealForm::edit(&d, &app.desk))));
            }
            true
        }
        _ => false,
    }
}

/// After a popup saved: a deal just added or edited is selected on the board.
pub fn after_popup(app: &mut App, closed: Option<Popup>) {
    if let (Some(Popup::DealForm(f)), Screen::Pipeline(p)) = (&closed, &mut app.screen)
        && let Some(id) = f.saved
    {
        p.select(id);
    }
}

/// The deal the keys act on: the selected card, or the open deal view's deal.
pub fn focus_deal(app: &mut App) -> Option<Deal> {
    let d = match &app.screen {
        Screen::Pipeline(p) => p.selected().map(|b| b.deal.clone()),
        Screen::Deal(d) => Some(d.deal.clone()),
        _ => None,
    };
    if d.is_none() {
        app.say("no deal selected; `a` adds one");
    }
    d
}

fn open_board(app: &mut App) {
    match PipelineScreen::open_with(&mut app.desk, app.board_closed) {
        Ok(p) => app.screen = Screen::Pipeline(Box::new(p)),
        Err(e) => app.fail(&e),
    }
}

fn move_selected(app: &mut App, step: isize) {
    let (d, target) = match &app.screen {
        Screen::Pipeline(p) => match p.selected() {
            Some(b) => (b.deal.clone(), p.neighbour_stage(b, step)),
            None => return app.say("no deal selected; `a` adds one"),
        },
        Screen::Deal(v) => {
            let names: Vec<&str> = app
                .desk
                .config
                .pipeline
                .stages
                .iter()
                .map(|s| s.name.as_str())
                .collect();
            (v.deal.clone(), neighbour(&names, &v.deal.stage, step))
        }
        _ => return,
    };
    if d.status != DealStatus::Open {
        return app.say(format!(
            "\"{}\" is {}; only open deals move",
            d.title, d.status
        ));
    }
    let Some(stage) = target else {
        let end = if step > 0 { "last" } else { "first" };
        return app.say(format!(
            "\"{}\" is in the {end} stage; W marks it won, L lost",
            d.title
        ));
    };
    let r = app.desk.move_deal(d.id, &stage, Some(d.version));
    after_change(app, d.id, r, format!("\"{}\" → {stage}", d.title));
}

/// Reopens a won or lost deal through `deal reopen`'s op; it goes back to the stage it
/// closed in, and the selection follows it there.
fn reopen(app: &mut App, d: &Deal) {
    if d.status == DealStatus::Open {
        let closed = app.keymap.keys_of(Context::Pipeline, Action::ShowClosed);
        return app.say(format!(
            "\"{}\" is open; only won and lost deals reopen ({closed} shows them)",
            d.title
        ));
    }
    let r = app.desk.reopen_deal(d.id, Some(d.version));
    after_change(
        app,
        d.id,
        r,
        format!("reopened \"{}\" in {} (u undoes)", d.title, d.stage),
    );
}

/// After an op on one deal: say what happened (or why not) and show the deal as it is now.
pub fn after_change(app: &mut App, id: i64, r: Result<()>, msg: String) {
    match r {
        Ok(()) => {
            app.say(msg);
            let refreshed = match &mut app.screen {
                Screen::Pipeline(p) => p.refresh_deal(&mut app.desk, id),
                Screen::Deal(d) => d.reload(&mut app.desk),
                _ => Ok(()),
            };
            if let Err(e) = refreshed {
                app.fail(&e);
            }
        }
        Err(e) => {
            // A conflict reloads everything (App::fail), so the board shows the deal as it is.
            app.fail(&e);
        }
    }
}
