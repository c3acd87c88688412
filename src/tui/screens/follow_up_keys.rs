//! The keys Today and a contact's page share on a follow-up: `e` edits it, `X` cancels it
//! (through the ops of `follow-up edit` and `follow-up cancel`), and `c` logs a call.

use crate::domain::follow_up::FollowUp;
use crate::tui::popups::Popup;
use crate::tui::popups::call_form::CallForm;
use crate::tui::popups::follow_up_edit::FollowUpEditForm;
use crate::tui::popups::sequence_pick::SequencePicker;
use crate::tui::screen::{Cx, Effect};

/// Opens the edit form on `f`.
pub fn edit(f: &FollowUp, cx: &mut Cx) {
    let f = f.clone();
    cx.later_held(move |desk| match FollowUpEditForm::open(desk, &f) {
        Ok(form) => vec![Effect::Popup(Popup::FollowUpEdit(Box::new(form)))],
        Err(e) => vec![Effect::Fail(e)],
    });
}

/// Cancels `f`; it leaves Today at once.
pub fn cancel(f: &FollowUp, cx: &mut Cx) {
    let (id, version) = (f.id, f.version);
    let msg = format!(
        "cancelled: {} with {} ({}); u undoes it",
        f.kind, f.contact_name, f.text
    );
    cx.later(move |desk| match desk.cancel_follow_up(id, Some(version)) {
        Ok(()) => vec![Effect::Say(msg), Effect::Forget(id), Effect::Reload],
        Err(e) => vec![Effect::Fail(e)],
    });
}

/// `S`: stops the contact's sequence, or offers the config's sequences to start one.
pub fn sequence(contact_id: i64, name: String, cx: &mut Cx) {
    cx.later_held(move |desk| match desk.sequence_of(contact_id) {
        Ok(Some(e)) => match desk.stop_sequence(contact_id) {
            Ok(_) => vec![
                Effect::Say(format!(
                    "stopped sequence {} for {name} at step {} of {}; its open step cancelled; u undoes it",
                    e.sequence,
                    e.step,
                    e.steps.len()
                )),
                Effect::Reload,
            ],
            Err(err) => vec![Effect::Fail(err)],
        },
        Ok(None) if desk.config.sequences.is_empty() => vec![Effect::Say(
            "no sequences in the config: add [sequences.NAME] with its steps (see the manual)"
                .into(),
        )],
        Ok(None) => {
            let picker = SequencePicker::new(desk, contact_id, name);
            vec![Effect::Popup(Popup::SequencePick(Box::new(picker)))]
        }
        Err(err) => vec![Effect::Fail(err)],
    });
}

/// The call form for a contact, completing `due` if one is; the pre-filled next step is
/// salesdesk's pick: it lands on a workday. When `due` is a sequence's step the Next field
/// starts empty: the sequence's next step comes at its own date (a date typed there moves it).
pub fn log_call(contact_id: i64, name: String, due: Option<&FollowUp>, cx: &mut Cx) {
    let step = due.and_then(|f| cx.desk.sequence_next(f).ok().flatten());
    let next = cx.desk.config.follow_up.next.clone();
    let mut form = CallForm::new(contact_id, name, due, "");
    match step {
        Some(s) => {
            form.sequence_next = Some(format!(
                "{} step {} of {}: {} {}, {}",
                s.name,
                s.step,
                s.steps,
                s.kind,
                s.text,
                s.date.format("%a %-d %b")
            ));
        }
        None => {
            form.next =
                crate::tui::widgets::input::WhenInput::picked(&next, cx.desk.config.workdays());
        }
    }
    cx.popup(Popup::Call(Box::new(form)));
}
