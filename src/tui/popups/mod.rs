//! Popups: they get every key first (so typing `x` in a note types an x), and report back
//! what happened with a `Reply`.

pub mod call_form;
pub mod confirm;
pub mod contact_edit;
pub mod contact_form;
pub mod deal_form;
pub mod follow_up;
pub mod follow_up_edit;
pub mod help;
pub mod lost_reason;
pub mod merge;
pub mod note;
pub mod note_edit;
pub mod purge;
pub mod search;
pub mod sequence_pick;
pub mod snooze;

use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Clear};

use crate::error::Error;
use crate::ops::Desk;
use crate::tui::action::Action;
use crate::tui::keymap::{Context, Keymap};
use crate::tui::theme::Theme;

/// What a popup (or the call screen) tells the app after a key.
#[derive(Debug)]
pub enum Reply {
    /// Nothing more to do.
    Stay,
    /// Close, nothing saved.
    Close,
    /// Saved: close, say so, reload.
    Saved(String),
    /// Saved item `id`: as `Saved`, and the page is told (a deal form's deal, which the
    /// board selects; the follow-up call mode completed, whose next contact comes up).
    SavedItem(i64, String),
    /// Refused: stay open and say why.
    Failed(Error),
    /// Open `$EDITOR` on this text and hand back the result.
    Editor(String),
    /// Ask before throwing typed text away.
    Discard(&'static str),
    /// Close and open this item (saying the message, if any).
    Go(crate::tui::nav::Target, Option<String>),
    /// Save on the desk's queue (a book on a server; at once otherwise): its reply is the
    /// popup's. The keys typed meanwhile wait for it.
    Later(crate::tui::worker::Deferred<Reply>),
}

impl Reply {
    /// A save done by `job` on the desk's queue.
    pub fn later(job: impl FnOnce(&mut Desk) -> Reply + Send + 'static) -> Reply {
        Reply::Later(crate::tui::worker::Deferred::new(job))
    }
}

/// What drawing needs besides the popup itself.
pub struct View<'a> {
    pub theme: &'a Theme,
    pub keymap: &'a Keymap,
    pub now: chrono::NaiveDateTime,
    pub default_snooze: &'a str,
    /// For what depends on the settings, such as the dates the snooze keys mean.
    pub config: &'a crate::config::Config,
}

/// The hints of a form whose last field is a free text body (a note, a logged call): the same
/// keys in the same order in each.
pub const BODY_FORM_HINTS: &[Action] = &[
    Action::Save,
    Action::NextField,
    Action::NewLine,
    Action::Editor,
    Action::Cancel,
];

/// One popup's side of the protocol: every popup gets every key first while it is open.
pub trait Dialog {
    /// The keymap context its keys are looked up in.
    fn context(&self) -> Context {
        Context::Form
    }

    /// The keys the hint bar shows, from that context.
    fn hints(&self) -> (Context, &'static [Action]) {
        (
            Context::Form,
            &[Action::Save, Action::NextField, Action::Cancel],
        )
    }

    fn key(&mut self, key: &KeyEvent, keymap: &Keymap, desk: &mut Desk) -> Reply;

    /// A bracketed paste goes whole into the focused field; elsewhere it is ignored.
    fn paste(&mut self, _text: &str, _desk: &mut Desk) {}

    /// The text `$EDITOR` gave back, for the note field.
    fn set_body(&mut self, _text: &str, _desk: &mut Desk) {}

    fn draw(&self, frame: &mut Frame, area: Rect, v: &View);

    /// Its field for picking a contact, if it has one: the field's choices are read on a
    /// worker, polled and waited on through the protocol below, and settled before any key
    /// that picks among them (`App::route_key`).
    fn contact_field(&self) -> Option<&note::ContactField> {
        None
    }

    /// The same, for changing it.
    fn contact_field_mut(&mut self) -> Option<&mut note::ContactField> {
        None
    }

    /// Picks up what its worker answered, and says what to do about it (a key that was
    /// waiting for the answer).
    fn poll(&mut self) -> Reply {
        self.contact_field_mut()
            .map_or(Reply::Stay, note::ContactField::poll)
    }

    /// Its worker's answer is awaited.
    fn waiting(&self) -> bool {
        self.contact_field()
            .is_some_and(note::ContactField::waiting)
    }
}

/// Declares `Popup` from the table of popups (small ones held as they are, forms boxed), with
/// the two lookups every caller goes through, so a new popup is one line here.
macro_rules! popups {
    (held { $($h:ident($ht:ty),)* } boxed { $($b:ident($bt:ty),)* }) => {
        #[derive(Debug)]
        pub enum Popup {
            $($h($ht),)*
            $($b(Box<$bt>),)*
        }

        impl Popup {
            /// Each popup's side of the protocol.
            pub fn dialog(&self) -> &dyn Dialog {
                match self {
                    $(Popup::$h(p) => p,)*
                    $(Popup::$b(p) => &**p,)*
                }
            }

            /// The same, for changing the popup.
            pub fn dialog_mut(&mut self) -> &mut dyn Dialog {
                match self {
                    $(Popup::$h(p) => p,)*
                    $(Popup::$b(p) => &mut **p,)*
                }
            }
        }
    };
}

// The table: a popup's variant and the type answering `Dialog` for it.
popups! {
    held {
        Help(help::Help),
        Snooze(snooze::Snooze),
        Confirm(confirm::Confirm),
    }
    boxed {
        Note(note::NoteForm),
        FollowUp(follow_up::FollowUpForm),
        Call(call_form::CallForm),
        AddContact(contact_form::ContactForm),
        Search(search::SearchPopup),
        NoteEdit(note_edit::NoteEdit),
        ContactEdit(contact_edit::ContactEdit),
        Merge(merge::MergeForm),
        Purge(purge::PurgeForm),
        DealForm(deal_form::DealForm),
        LostReason(lost_reason::LostReason),
        FollowUpEdit(follow_up_edit::FollowUpEditForm),
        SequencePick(sequence_pick::SequencePicker),
    }
}

/// A box of at most `w`×`h` in the middle of `area`, cleared, with its title; returns the
/// inside.
pub fn frame_box(
    frame: &mut Frame,
    area: Rect,
    w: u16,
    h: u16,
    title: &str,
    theme: &Theme,
) -> Rect {
    let w = w.min(area.width);
    let h = h.min(area.height);
    let r = Rect {
        x: area.x + (area.width - w) / 2,
        y: area.y + (area.height - h) / 2,
        width: w,
        height: h,
    };
    frame.render_widget(Clear, r);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.accent())
        .title(Line::styled(format!(" {title} "), theme.header()));
    let inner = block.inner(r);
    frame.render_widget(block, r);
    inner
}

/// One row of a form: the label, then the field's area.
pub fn label_row(
    frame: &mut Frame,
    area: Rect,
    y: u16,
    label: &str,
    focused: bool,
    theme: &Theme,
) -> Rect {
    if y >= area.y + area.height {
        return Rect {
            x: area.x,
            y: area.y,
            width: 0,
            height: 0,
        };
    }
    let lw = 10.min(area.width);
    let style = if focused {
        theme.focused()
    } else {
        theme.dim()
    };
    let mark = if focused { "›" } else { " " };
    frame.render_widget(
        Line::styled(format!("{mark}{label}"), style),
        Rect {
            x: area.x,
            y,
            width: lw,
            height: 1,
        },
    );
    Rect {
        x: area.x + lw,
        y,
        width: area.width - lw,
        height: 1,
    }
}

/// Draws the lines at a row; returns how many rows were used.
pub fn lines_at(frame: &mut Frame, area: Rect, y: u16, lines: Vec<Line<'static>>) -> u16 {
    let mut n = 0;
    for l in lines {
        if y + n >= area.y + area.height {
            break;
        }
        frame.render_widget(
            l,
            Rect {
                x: area.x,
                y: y + n,
                width: area.width,
                height: 1,
            },
        );
        n += 1;
    }
    n
}

/// A one-line summary of keys for the bottom of a popup: `Enter save · Esc cancel`.
pub fn key_line(keymap: &Keymap, ctx: Context, actions: &[Action], theme: &Theme) -> Line<'static> {
    let mut spans = Vec::new();
    let hints = keymap.hints(&[ctx]);
    let picked = actions
        .iter()
        .filter_map(|a| {
            keymap
                .bindings
                .iter()
                .find(|b| b.context == ctx && b.action == *a)
        })
        .filter_map(|b| hints.iter().find(|(_, h)| *h == b.hint).cloned());
    for (i, (k, h)) in picked.enumerate() {
        if i > 0 {
            spans.push(ratatui::text::Span::styled(" · ", theme.dim()));
        }
        spans.push(ratatui::text::Span::styled(k, theme.key()));
        spans.push(ratatui::text::Span::styled(format!(" {h}"), theme.dim()));
    }
    Line::from(spans)
}
