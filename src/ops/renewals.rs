//! What a win opens, in the win's own transaction (so one undo takes it back with the win):
//! the renewal deal and its follow-up where the deal's pipeline has `renew`, and the ask for
//! a referral `[referrals] ask_after` later, unless the contact has one open already.

use chrono::{Months, NaiveDate};

use crate::config::Config;
use crate::domain::deal::{Deal, NewDeal};
use crate::domain::follow_up::{FollowUpKind, NewFollowUp};
use crate::domain::workdays::workday_on_or_after;
use crate::error::Result;
use crate::storage::{Change, contacts, deals, follow_ups, referrals};
use crate::when::Interval;
use crate::when::When;

/// What a win opened.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct WinOpened {
    /// The renewal deal and the pipeline it is in.
    pub renewal: Option<(i64, String)>,
    pub referral_ask: Option<i64>,
}

impl WinOpened {
    /// The lines that say it: "renewal deal #9 opened in renewals".
    pub fn words(&self) -> Vec<String> {
        let mut w = Vec::new();
        if let Some((id, p)) = &self.renewal {
            w.push(format!("renewal deal #{id} opened in {p}"));
        }
        if let Some(id) = self.referral_ask {
            w.push(format!("referral ask follow-up #{id} scheduled"));
        }
        w
    }
}

/// The title of the deal that renews `title`: a renewal's renewal keeps one prefix, and a
/// title as long as a title may be is cut to make room for it (ending "…").
pub fn renewal_title(title: &str) -> String {
    use crate::domain::fields::LINE_MAX;
    if title.starts_with("Renewal: ") {
        return title.to_string();
    }
    let full = format!("Renewal: {title}");
    if full.chars().count() <= LINE_MAX {
        return full;
    }
    let mut cut: String = full.chars().take(LINE_MAX - 1).collect();
    cut.push('…');
    cut
}

/// `today` plus `after`, on a workday (a date salesdesk picks itself); never past the last
/// day the book keeps (9999-12-31).
fn picked_day(config: &Config, today: NaiveDate, after: Interval) -> NaiveDate {
    let day = after
        .checked_add_to(today)
        .unwrap_or(crate::when::LAST_DATE);
    let picked = workday_on_or_after(day, &config.workdays());
    if crate::when::in_range(picked) {
        picked
    } else {
        crate::when::LAST_DATE
    }
}

/// Opens what the win of `d` (just closed won in this change) brings.
pub fn after_win_in(chg: &mut Change<'_>, config: &Config, d: &Deal) -> Result<WinOpened> {
    Ok(WinOpened {
        renewal: open_renewal(chg, config, d)?,
        referral_ask: ask_for_referral(chg, config, d.contact_id)?,
    })
}

fn open_renewal(chg: &mut Change<'_>, config: &Config, d: &Deal) -> Result<Option<(i64, String)>> {
    let Some(renew) = config.pipeline_def(&d.pipeline).and_then(|p| p.renew) else {
        return Ok(None);
    };
    let Some(into) = config.pipeline_def(&renew.into) else {
        return Ok(None);
    };
    let after = crate::when::Interval::parse(&renew.after)
        .map_err(|e| crate::error::Error::input(format!("renew after: {e}")))?;
    let today = chg.clock().today();
    let close = today
        .checked_add_months(Months::new(12))
        .filter(|c| crate::when::in_range(*c))
        .unwrap_or(crate::when::LAST_DATE);
    let title = renewal_title(&d.title);
    // Won, reopened and won again: the renewal of the first win is still open.
    if deals::open_titled(chg.read(), d.contact_id, &into.name, &title)? {
        return Ok(None);
    }
    let nd = NewDeal {
        title: title.clone(),
        contact_id: d.contact_id,
        value_cents: d.value_cents,
        currency: d.currency.clone(),
        stage: config.first_stage_in(&into.name),
        expected_close: Some(close.to_string()),
    };
    let id = deals::insert(chg, &nd, &into.name)?;
    follow_ups::insert(
        chg,
        &NewFollowUp {
            contact_id: d.contact_id,
            deal_id: Some(id),
            kind: FollowUpKind::Call,
            text: format!("Talk about the renewal of {}", d.title),
            due: When::Day(picked_day(config, today, after)),
            every: None,
        },
    )?;
    Ok(Some((id, into.name)))
}

/// `Ask NAME for a referral`, never a second one while one is open.
fn ask_for_referral(chg: &mut Change<'_>, config: &Config, contact_id: i64) -> Result<Option<i64>> {
    let Some(after) = config.referral_ask_after() else {
        return Ok(None);
    };
    if referrals::has_open_ask(chg.read(), contact_id)? {
        return Ok(None);
    }
    let name = contacts::name_of(chg.read(), contact_id)?;
    let today = chg.clock().today();
    let id = follow_ups::insert(
        chg,
        &NewFollowUp {
            contact_id,
            deal_id: None,
            kind: FollowUpKind::Call,
            text: referrals::ask_text(&name),
            due: When::Day(picked_day(config, today, after)),
            every: None,
        },
    )?;
    Ok(Some(id))
}
