//! The keys Today and a contact's page share on a follow-up: `e` edits it, `X` cancels it
//! (through the ops of `follow-up edit` and `follow-up cancel`), and `c` logs a call.

use crate::domain::follow_up::FollowUp;
use crate::tui::popups::Popup;
use crate::tui::popups::call_form::CallForm;
use crate::tui::popups::follow_up_edit::FollowUpEditForm;
use crate::tui::screen::{Cx, Effect};

/// Opens the edit form on `f`.
pub fn edit(f: &FollowUp, cx: &mut Cx) {
    match FollowUpEditForm::open(cx.desk, f) {
        Ok(form) => cx.popup(Popup::FollowUpEdit(Box::new(form))),
        Err(e) => cx.fail(e),
    }
}

/// Cancels `f`; it leaves Today at once.
pub fn cancel(f: &FollowUp, cx: &mut Cx) {
    match cx.desk.cancel_follow_up(f.id, Some(f.version)) {
        Ok(()) => {
            cx.say(format!(
                "cancelled: {} with {} ({}); u undoes it",
                f.kind, f.contact_name, f.text
            ));
            cx.ask(Effect::Forget(f.id));
            cx.reload();
        }
        Err(e) => cx.fail(e),
    }
}

/// The call form for a contact, completing `due` if one is; the pre-filled next step is
/// salesdesk's pick: it lands on a workday.
pub fn log_call(contact_id: i64, name: String, due: Option<&FollowUp>, cx: &mut Cx) {
    let next = cx.desk.config.follow_up.next.clone();
    let mut form = CallForm::new(contact_id, name, due, &next);
    form.next = crate::tui::widgets::input::WhenInput::picked(&next, cx.desk.config.workdays());
    cx.popup(Popup::Call(Box::new(form)));
}
