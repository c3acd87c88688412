//! Call mode (`F`): the due list one contact at a time. Outcome, then note, then next step;
//! nothing is saved before the last step, then everything is saved in one transaction.

use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::Rect;
use ratatui_textarea::TextArea;

use crate::domain::follow_up::FollowUp;
use crate::domain::note::{NoteKind, Outcome};
use crate::error::Result;
use crate::ops::Desk;
use crate::ops::contacts::ContactView;
use crate::ops::notes::NoteInput;
use crate::tui::action::Action;
use crate::tui::app::Request;
use crate::tui::keymap::{Context, Keymap};
use crate::tui::popups::call_form::{note_kind_for, note_next, outcomes_for};
use crate::tui::popups::confirm::Confirm;
use crate::tui::popups::note::{body_text, note_area, set_text};
use crate::tui::popups::{Popup, Reply, View};
use crate::tui::screen::{Cx, Effect, Page, Screen, Taken};
use crate::tui::widgets::input::{LineInput, WhenInput};
use crate::when::{self, When};

const PLACEHOLDER: &str = "What was said? (Enter goes on)";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    Outcome,
    Note,
    Next,
}

#[derive(Debug)]
pub struct CallScreen {
    /// The due follow-ups, one per contact, oldest first; the first is on screen.
    pub queue: Vec<FollowUp>,
    pub skipped: Vec<i64>,
    pub view: Option<ContactView>,
    pub step: Step,
    /// What the touch came to; `None` is an email sent.
    pub outcome: Option<Outcome>,
    pub body: TextArea<'static>,
    /// The next follow-up's text, under the note (`Tab` reaches it); empty: made from the note.
    pub next_text: LineInput,
    /// The next step's text has the keys, not the note.
    pub text_focus: bool,
    /// The date the note's own `@…` gives: Enter then saves with it, no menu.
    pub from_note: Option<When>,
    pub typing: Option<WhenInput>,
    pub done_today: i64,
    pub logged: usize,
}

impl CallScreen {
    pub fn open(desk: &mut Desk) -> Result<Self> {
        let mut s = CallScreen {
            queue: Vec::new(),
            skipped: Vec::new(),
            view: None,
            step: Step::Outcome,
            outcome: None,
            body: note_area(PLACEHOLDER),
            next_text: LineInput::default(),
            text_focus: false,
            from_note: None,
            typing: None,
            done_today: 0,
            logged: 0,
        };
        s.load(desk)?;
        Ok(s)
    }

    pub fn current(&self) -> Option<&FollowUp> {
        self.queue.first()
    }

    /// Reads the due list again; the contact on screen stays while its follow-up is due.
    pub fn load(&mut self, desk: &mut Desk) -> Result<()> {
        let due = desk.due_now(crate::tui::screens::GROUP_LIMIT)?;
        let mut queue: Vec<FollowUp> = Vec::new();
        for f in due {
            if !self.skipped.contains(&f.contact_id)
                && !queue.iter().any(|q| q.contact_id == f.contact_id)
            {
                queue.push(f);
            }
        }
        let before = self.current().map(|f| f.id);
        if let Some(pos) = before.and_then(|id| queue.iter().position(|f| f.id == id)) {
            let keep = queue.remove(pos);
            queue.insert(0, keep);
        } else {
            self.reset();
        }
        self.queue = queue;
        self.view = match self.current() {
            Some(f) => Some(desk.contact_view(f.contact_id, 3)?),
            None => None,
        };
        self.done_today = desk.done_today()?;
        Ok(())
    }

    fn reset(&mut self) {
        self.step = Step::Outcome;
        self.outcome = None;
        self.body = note_area(PLACEHOLDER);
        self.next_text = LineInput::default();
        self.text_focus = false;
        self.from_note = None;
        self.typing = None;
    }

    /// The kind of note the contact on screen is answered with: the due follow-up's kind.
    pub fn kind(&self) -> NoteKind {
        self.current()
            .map_or(NoteKind::Call, |f| note_kind_for(f.kind))
    }

    /// The outcome keys for the kind on screen.
    pub fn outcome_context(&self) -> Context {
        match self.kind() {
            NoteKind::Email => Context::EmailOutcome,
            NoteKind::Meeting => Context::MeetingOutcome,
            NoteKind::Call | NoteKind::Note => Context::CallOutcome,
        }
    }

    /// The word for the outcome chosen: `connected`, `sent`, `no-show`.
    pub(crate) fn outcome_word(&self) -> &'static str {
        outcomes_for(self.kind())
            .iter()
            .find(|(o, _)| *o == self.outcome)
            .map_or("", |(_, w)| w)
    }

    pub fn context(&self) -> Context {
        match (self.step, &self.typing) {
            (Step::Outcome, _) => self.outcome_context(),
            (Step::Next, None) => Context::CallNext,
            _ => Context::Form,
        }
    }

    pub fn typing_text(&self) -> bool {
        self.step == Step::Note || self.typing.is_some()
    }

    pub fn set_body(&mut self, text: &str) {
        set_text(&mut self.body, text, PLACEHOLDER);
    }

    pub fn paste(&mut self, text: &str) {
        if let Some(t) = &mut self.typing {
            t.input.insert_str(text);
        } else if self.step == Step::Note && self.text_focus {
            self.next_text.insert_str(text);
        } else if self.step == Step::Note {
            self.body.insert_str(text);
        }
    }

    /// `None` when the key means nothing here (the app then tries the global keys).
    pub fn handle_key(
        &mut self,
        key: &KeyEvent,
        keymap: &Keymap,
        desk: &mut Desk,
    ) -> Option<Reply> {
        if self.current().is_none() {
            return match keymap.lookup(key, &[self.outcome_context()]) {
                Some(Action::Cancel) => Some(Reply::Close),
                _ => None,
            };
        }
        match self.step {
            Step::Outcome => {
                let outcome = match keymap.lookup(key, &[self.outcome_context()])? {
                    Action::Connected => Some(Outcome::Connected),
                    Action::Voicemail => Some(Outcome::Voicemail),
                    Action::NoAnswer => Some(Outcome::NoAnswer),
                    Action::Sent => None,
                    Action::Replied => Some(Outcome::Replied),
                    Action::Held => Some(Outcome::Held),
                    Action::NoShow => Some(Outcome::NoShow),
                    Action::Skip => {
                        let name = self
                            .current()
                            .map(|f| f.contact_name.clone())
                            .unwrap_or_default();
                        if let Some(f) = self.current() {
                            self.skipped.push(f.contact_id);
                        }
                        self.reset();
                        return Some(match self.load(desk) {
                            Ok(()) => Reply::Saved(format!("skipped {name}")),
                            Err(e) => Reply::Failed(e),
                        });
                    }
                    Action::Cancel => return Some(Reply::Close),
                    _ => return None,
                };
                self.outcome = outcome;
                self.step = Step::Note;
                // The same thing again is what comes next most often; it is there to edit.
                self.next_text = LineInput::new(self.current().map_or("", |f| f.text.as_str()));
                Some(Reply::Stay)
            }
            Step::Note => {
                let reply = self.note_key(key, keymap, desk);
                if self.step == Step::Note {
                    self.from_note = note_next(desk, &body_text(&self.body));
                }
                Some(reply)
            }
            Step::Next => self.next_key(key, keymap, desk),
        }
    }

    fn note_key(&mut self, key: &KeyEvent, keymap: &Keymap, desk: &mut Desk) -> Reply {
        match keymap.lookup(key, &[Context::Form]) {
            // A note ending in `@wed` has said when: that is the next step, saved now.
            Some(Action::Save) if note_next(desk, &body_text(&self.body)).is_some() => {
                self.save(desk, None)
            }
            Some(Action::Save) => {
                self.step = Step::Next;
                Reply::Stay
            }
            Some(Action::Cancel) => self.discard(),
            Some(Action::NextField) | Some(Action::PrevField) => {
                self.text_focus = !self.text_focus;
                Reply::Stay
            }
            Some(Action::NewLine) if !self.text_focus => {
                self.body.insert_newline();
                Reply::Stay
            }
            Some(Action::Editor) => Reply::Editor(body_text(&self.body)),
            _ if self.text_focus => {
                self.next_text.handle(key);
                Reply::Stay
            }
            _ => {
                self.body.input(*key);
                Reply::Stay
            }
        }
    }

    fn next_key(&mut self, key: &KeyEvent, keymap: &Keymap, desk: &mut Desk) -> Option<Reply> {
        let now = desk.clock.now_naive();
        if let Some(t) = &mut self.typing {
            return Some(match keymap.lookup(key, &[Context::Form]) {
                Some(Action::Save) => match t.parse(now) {
                    Some(w) => self.save(desk, Some(w)),
                    None => Reply::Failed(crate::error::Error::input(format!(
                        "cannot read {:?} as a date; try {}",
                        t.input.text(),
                        when::ACCEPTED_FORMS
                    ))),
                },
                Some(Action::Cancel) => {
                    self.typing = None;
                    Reply::Stay
                }
                _ => {
                    t.input.handle(key);
                    Reply::Stay
                }
            });
        }
        let words = match keymap.lookup(key, &[Context::CallNext])? {
            Action::Tomorrow => "tomorrow",
            Action::ThreeDays => "+3d",
            Action::NextWeek => "next week",
            Action::NoNext => return Some(self.save(desk, None)),
            Action::SequenceNext => return Some(self.sequence_next(desk)),
            Action::TypeWhen => {
                self.typing = Some(WhenInput::default());
                return Some(Reply::Stay);
            }
            Action::Cancel => return Some(self.discard()),
            _ => return None,
        };
        Some(match desk.config.pick(words, now) {
            Ok(w) => self.save(desk, Some(w)),
            Err(e) => Reply::Failed(crate::error::Error::input(e)),
        })
    }

    /// `Enter` on the next step: the sequence's own next step, when the due follow-up is a
    /// step of one (it is scheduled whatever the key; this one asks for no other date).
    fn sequence_next(&mut self, desk: &mut Desk) -> Reply {
        if self.current().is_some_and(|f| f.sequence.is_some()) {
            return self.save(desk, None);
        }
        Reply::Failed(crate::error::Error::input(
            "this follow-up is no step of a sequence: 1, 3, w, t or 0 picks the next step",
        ))
    }

    /// The next-step menu's first line when the due follow-up is a sequence's step: what
    /// comes next and on which day.
    pub fn sequence_label(&self, v: &crate::tui::popups::View) -> Option<String> {
        let f = self.current()?;
        let label = f.sequence.as_ref()?;
        let e = self.view.as_ref()?.sequence.as_ref()?;
        let Some(step) = e.next_step() else {
            return Some(format!("finish sequence {} (last step)", label.name));
        };
        let day =
            crate::domain::sequence::step_day(v.now.date(), &step.after, &v.config.workdays())?;
        Some(format!(
            "next step of the sequence: {} {} · {}",
            label.step + 1,
            step.kind,
            day.format("%a %-d %b")
        ))
    }

    /// Leaving: asked first when a note was typed.
    fn discard(&self) -> Reply {
        if self.body.is_empty() {
            Reply::Close
        } else {
            Reply::Discard("Leave call mode? The note typed here is not saved. y/n")
        }
    }

    /// The last step: note, outcome, the due follow-up done and the next one, in one go.
    fn save(&mut self, _desk: &mut Desk, next: Option<When>) -> Reply {
        let Some(f) = self.current().cloned() else {
            return Reply::Stay;
        };
        let kind = self.kind();
        let mut body = body_text(&self.body);
        if body.trim().is_empty() {
            let word = self.outcome.map_or(self.outcome_word(), |o| o.as_str());
            let k = kind.as_str();
            body = format!("{}{}: {word}", k[..1].to_ascii_uppercase(), &k[1..]);
        }
        let mut input = NoteInput::new(f.contact_id, body);
        input.kind = kind;
        input.outcome = self.outcome;
        input.deal_id = f.deal_id;
        input.done = Some(f.id);
        input.next = next;
        if !self.next_text.is_empty() {
            input.next_text = Some(self.next_text.text().trim().to_string());
        }
        let subject = format!("{kind} with {} saved", f.contact_name);
        Reply::later(move |desk| match desk.log_note(&input) {
            Ok(saved) => Reply::SavedItem(
                f.id,
                crate::tui::widgets::status::effects_message(&subject, &saved.effects, ""),
            ),
            Err(e) => Reply::Failed(e),
        })
    }

    /// The keys the hint bar shows while a field has the keys.
    pub fn field_hints(&self) -> &'static [Action] {
        if self.typing.is_some() {
            &[Action::Save, Action::Cancel]
        } else {
            &[
                Action::Save,
                Action::NextField,
                Action::NewLine,
                Action::Editor,
                Action::Cancel,
            ]
        }
    }
}

impl Page for CallScreen {
    fn contexts(&self) -> Vec<Context> {
        if self.typing_text() {
            return vec![Context::Form];
        }
        vec![self.context(), Context::Global]
    }

    fn crumb(&self) -> Option<String> {
        Some("Call mode".to_string())
    }

    fn next_tab(&self) -> Action {
        Action::TabToday
    }

    /// Call mode reads its own keys first; while text is typed, every key is the text's.
    fn key(&mut self, key: &KeyEvent, cx: &mut Cx) -> Taken {
        if let Some(reply) = self.handle_key(key, cx.keymap, cx.desk) {
            reply_to(reply, cx);
            return Taken::Yes;
        }
        if self.typing_text() {
            Taken::Yes
        } else {
            Taken::No
        }
    }

    fn act(&mut self, _action: Action, _cx: &mut Cx) -> Result<bool> {
        Ok(false)
    }

    fn paste(&mut self, text: &str, _cx: &mut Cx) {
        CallScreen::paste(self, text);
    }

    fn edited(&mut self, text: &str) {
        self.set_body(text);
    }

    fn field_hints(&self) -> Option<&'static [Action]> {
        self.typing_text().then(|| CallScreen::field_hints(self))
    }

    fn draw(&self, frame: &mut Frame, area: Rect, v: &View) {
        self.render(frame, area, v);
    }

    fn reload(&mut self, cx: &mut Cx) -> Result<()> {
        self.load(cx.desk)
    }

    /// The call with follow-up `id` was logged: it leaves the list and the next contact
    /// comes up.
    fn changed(&mut self, id: i64, read: bool, cx: &mut Cx) -> Result<()> {
        self.logged += 1;
        self.reset();
        self.queue.retain(|q| q.id != id);
        if !read {
            cx.reload();
            return Ok(());
        }
        self.load(cx.desk)
    }

    fn focus(&self) -> Option<(i64, String, Option<i64>)> {
        self.current()
            .map(|f| (f.contact_id, f.contact_name.clone(), f.deal_id))
    }
}

/// What call mode's reply asks of the app: a call logged keeps call mode open (only Today's
/// lists are read again); leaving asks first when a note would be lost.
fn reply_to(reply: Reply, cx: &mut Cx) {
    for e in effects_of(reply) {
        cx.ask(e);
    }
}

fn effects_of(reply: Reply) -> Vec<Effect> {
    match reply {
        Reply::Stay => vec![],
        Reply::Close => vec![Effect::Show(Screen::Today), Effect::Reload],
        Reply::Saved(msg) => vec![Effect::Say(msg), Effect::TodayChanged],
        // A call logged: its follow-up leaves the list, the next contact comes up.
        Reply::SavedItem(id, msg) => {
            vec![Effect::Say(msg), Effect::Changed(id), Effect::TodayChanged]
        }
        Reply::Failed(e) => vec![Effect::Fail(e)],
        // A save on the desk's queue: its reply, when it comes, means the same.
        Reply::Later(job) => vec![Effect::Later(
            true,
            crate::tui::worker::Deferred::new(move |d| effects_of((job.0)(d))),
        )],
        Reply::Editor(text) => vec![Effect::Request(Request::Editor(text))],
        Reply::Discard(question) => vec![Effect::Popup(Popup::Confirm(Confirm {
            question,
            back: None,
        }))],
        Reply::Go(target, _) => vec![Effect::Go(target)],
    }
}
