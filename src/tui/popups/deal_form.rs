//! `a` adds a deal, `e` edits one: contact (completes as it is typed), title, value (`12k`,
//! `12,500 EUR`, `€900`), currency (the book's to start with; a currency typed with the value
//! fills it in), stage (`←`/`→` cycle it), and the expected close as a WHEN with its
//! meaning shown as it is typed. An edit saves every field and the stage in one transaction
//! (`deal edit`'s op): a new stage is a move, kept in the history. A closed deal keeps its
//! stage; it is reopened first (`R`). The edit carries the version it was read at and is
//! refused if the deal changed meanwhile.

use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use super::note::ContactField;
use super::{Reply, View, frame_box, key_line, label_row, lines_at};
use crate::domain::deal::DealStatus;
use crate::domain::deal::{Deal, NewDeal};
use crate::domain::money;
use crate::error::{Error, Result};
use crate::ops::Desk;
use crate::ops::deals::DealEdit;
use crate::text::{printable, truncate};
use crate::tui::action::Action;
use crate::tui::keymap::{Context, Keymap};
use crate::tui::theme::Theme;
use crate::tui::widgets::input::{LineInput, WhenInput};

const CONTACT: usize = 0;
const TITLE: usize = 1;
const VALUE: usize = 2;
const STAGE: usize = 3;
const CLOSE: usize = 4;
const CURRENCY: usize = 5;

#[derive(Debug)]
pub struct DealForm {
    /// The deal being edited (id, version); None adds one.
    pub editing: Option<(i64, i64)>,
    pub contact: ContactField,
    pub title: LineInput,
    pub value: LineInput,
    /// A three-letter code, as `deal add --currency` takes it.
    pub currency: LineInput,
    /// The pipeline the deal goes in (an edit keeps the deal's): the stages are its.
    pub pipeline: String,
    pub stages: Vec<String>,
    pub stage: usize,
    pub close: WhenInput,
    /// An edit of a won or lost deal: its stage cannot change.
    pub closed: Option<DealStatus>,
    pub focus: usize,
    /// The deal saved, for the board to select.
    pub saved: Option<i64>,
}

impl DealForm {
    /// A new deal in pipeline `pipeline` at `stage` (the board's and its selected column's).
    pub fn add_in(desk: &mut Desk, pipeline: &str, stage: &str) -> Self {
        let stages: Vec<String> = desk
            .config
            .stages_of(pipeline)
            .iter()
            .map(|s| s.name.clone())
            .collect();
        let at = desk.config.stage_index_in(pipeline, stage).unwrap_or(0);
        DealForm {
            editing: None,
            pipeline: pipeline.to_string(),
            contact: ContactField::pick(desk),
            title: LineInput::default(),
            value: LineInput::default(),
            currency: LineInput::new(&desk.config.currency()),
            stages,
            stage: at,
            close: WhenInput::default(),
            closed: None,
            focus: CONTACT,
            saved: None,
        }
    }

    pub fn edit(d: &Deal, desk: &Desk) -> Self {
        let value = if d.value_cents == 0 {
            String::new()
        } else {
            money::format_amount(d.value_cents).replace(',', "")
        };
        let mut stages: Vec<String> = desk
            .config
            .stages_of(&d.pipeline)
            .iter()
            .map(|s| s.name.clone())
            .collect();
        // A stage the config no longer names stays a choice, so saving as is moves nothing.
        let stage = match desk.config.stage_index_in(&d.pipeline, &d.stage) {
            Some(i) => i,
            None => {
                stages.push(d.stage.clone());
                stages.len() - 1
            }
        };
        DealForm {
            editing: Some((d.id, d.version)),
            pipeline: d.pipeline.clone(),
            contact: ContactField::preset(d.contact_id, &d.contact_name, d.company.as_deref()),
            title: LineInput::new(&d.title),
            value: LineInput::new(&value),
            currency: LineInput::new(&d.currency),
            stages,
            stage,
            close: WhenInput::new(d.expected_close.as_deref().unwrap_or("")),
            closed: (d.status != DealStatus::Open).then_some(d.status),
            focus: TITLE,
            saved: None,
        }
    }

    fn fields(&self) -> Vec<usize> {
        let mut f = Vec::new();
        if self.contact.is_pick() {
            f.push(CONTACT);
        }
        f.extend([TITLE, VALUE, CURRENCY]);
        if self.closed.is_none() {
            f.push(STAGE);
        }
        f.push(CLOSE);
        f
    }

    fn step(&mut self, by: isize) {
        let f = self.fields();
        let i = f.iter().position(|x| *x == self.focus).unwrap_or(0) as isize;
        let n = f.len() as isize;
        self.focus = f[((i + by) % n + n) as usize % f.len()];
    }

    pub fn paste(&mut self, text: &str, desk: &mut Desk) {
        match self.focus {
            CONTACT => self.contact.paste(text, desk),
            TITLE => self.title.insert_str(text),
            VALUE => {
                self.value.insert_str(text);
                self.currency_from_value();
            }
            CURRENCY => self.currency.insert_str(text),
            CLOSE => self.close.input.insert_str(text),
            _ => {}
        }
    }

    fn typed(&self) -> bool {
        !self.title.is_empty() || !self.value.is_empty()
    }

    pub fn handle_key(&mut self, key: &KeyEvent, keymap: &Keymap, desk: &mut Desk) -> Reply {
        match keymap.lookup(key, &[Context::Form]) {
            Some(Action::Save) if self.focus == CONTACT => {
                if self.contact.id().is_some() {
                    self.step(1);
                }
                Reply::Stay
            }
            Some(Action::Save) => self.save(desk).unwrap_or_else(Reply::Failed),
            Some(Action::Cancel) if self.editing.is_none() && self.typed() => {
                Reply::Discard("Throw this deal away? y/n")
            }
            Some(Action::Cancel) => Reply::Close,
            Some(Action::NextField) => {
                self.step(1);
                Reply::Stay
            }
            Some(Action::PrevField) => {
                self.step(-1);
                Reply::Stay
            }
            _ => {
                match self.focus {
                    CONTACT => {
                        if let Err(e) = self.contact.handle(key, desk) {
                            return Reply::Failed(e);
                        }
                    }
                    TITLE => {
                        self.title.handle(key);
                    }
                    VALUE => {
                        self.value.handle(key);
                        self.currency_from_value();
                    }
                    CURRENCY => {
                        self.currency.handle(key);
                    }
                    STAGE => {
                        let n = self.stages.len().max(1);
                        match key.code {
                            KeyCode::Right
                            | KeyCode::Char(' ')
                            | KeyCode::Char('l')
                            | KeyCode::Char('>') => self.stage = (self.stage + 1) % n,
                            KeyCode::Left | KeyCode::Char('h') | KeyCode::Char('<') => {
                                self.stage = (self.stage + n - 1) % n
                            }
                            _ => {}
                        }
                    }
                    _ => {
                        self.close.input.handle(key);
                    }
                }
                Reply::Stay
            }
        }
    }

    /// A currency typed with the value (`€900`, `900 EUR`) shows in the currency field at
    /// once: what the form shows is what is saved.
    fn currency_from_value(&mut self) {
        if let Ok((_, code)) = parse_value(self.value.text(), "")
            && !code.is_empty()
            && code != self.currency.text()
        {
            self.currency = LineInput::new(&code);
        }
    }

    /// The value field's cents and the currency field's code; a field that cannot be read
    /// takes the focus.
    fn value(&mut self) -> Result<(i64, String)> {
        let code = self.currency.text().trim().to_ascii_uppercase();
        if code.len() != 3 || !code.chars().all(|c| c.is_ascii_alphabetic()) {
            self.focus = CURRENCY;
            return Err(Error::input(format!(
                "currency {code:?}: use a three-letter code like USD"
            )));
        }
        parse_value(self.value.text(), &code).inspect_err(|_| self.focus = VALUE)
    }

    fn close_date(&self, desk: &Desk) -> Result<Option<String>> {
        if self.close.input.is_empty() {
            return Ok(None);
        }
        let w = desk.when(self.close.input.text())?;
        Ok(Some(w.date().to_string()))
    }

    /// Checks what is typed here, then writes on the desk's queue.
    fn save(&mut self, desk: &mut Desk) -> Result<Reply> {
        let title = self.title.text().trim().to_string();
        if title.is_empty() {
            self.focus = TITLE;
            return Err(Error::input("a deal needs a title"));
        }
        let (cents, currency) = self.value()?;
        let close = self.close_date(desk)?;
        match self.editing {
            None => {
                let Some(contact_id) = self.contact.id() else {
                    self.focus = CONTACT;
                    return Err(Error::input("pick a contact first"));
                };
                let stage = self
                    .stages
                    .get(self.stage)
                    .cloned()
                    .unwrap_or_else(|| desk.config.first_stage_in(&self.pipeline));
                let d = NewDeal {
                    title: title.clone(),
                    contact_id,
                    value_cents: cents,
                    currency,
                    stage: stage.clone(),
                    expected_close: close,
                };
                let pipeline = self.pipeline.clone();
                Ok(Reply::later(move |desk| {
                    match desk.add_deal_in(&pipeline, &d) {
                        Ok(id) => {
                            Reply::SavedItem(id, format!("added deal #{id} \"{title}\" in {stage}"))
                        }
                        Err(e) => Reply::Failed(e),
                    }
                }))
            }
            Some((id, version)) => {
                let Some(contact_id) = self.contact.id() else {
                    self.focus = CONTACT;
                    return Err(Error::input(
                        "pick a contact: no contact matches what is typed",
                    ));
                };
                let stage = match self.closed {
                    Some(_) => None,
                    None => self.stages.get(self.stage).cloned(),
                };
                let e = DealEdit {
                    title: Some(title.clone()),
                    contact_id: Some(contact_id),
                    value_cents: Some(cents),
                    currency: Some(currency),
                    expected_close: Some(close),
                    stage: stage.clone(),
                    pipeline: None,
                    owner: None,
                };
                let moved = stage.map(|s| format!(", in {s}")).unwrap_or_default();
                Ok(Reply::later(move |desk| {
                    match desk.edit_deal(id, &e, Some(version)) {
                        Ok(()) => Reply::SavedItem(
                            id,
                            format!("deal #{id} \"{title}\" saved{moved}; u undoes it"),
                        ),
                        Err(e) => Reply::Failed(e),
                    }
                }))
            }
        }
    }

    pub fn render(&self, frame: &mut Frame, area: Rect, v: &View) {
        let title = if self.editing.is_some() {
            "Edit deal"
        } else {
            "New deal"
        };
        let inner = frame_box(frame, area, 70, 16, title, v.theme);
        let mut y = inner.y;
        y += self
            .contact
            .render(frame, inner, y, self.focus == CONTACT, v.theme);
        let field = label_row(frame, inner, y, "Title", self.focus == TITLE, v.theme);
        if let Some(p) = self
            .title
            .render(field, frame.buffer_mut(), v.theme, self.focus == TITLE)
        {
            frame.set_cursor_position(p);
        }
        y += 1;
        let field = label_row(frame, inner, y, "Value", self.focus == VALUE, v.theme);
        if let Some(p) = self
            .value
            .render(field, frame.buffer_mut(), v.theme, self.focus == VALUE)
        {
            frame.set_cursor_position(p);
        }
        y += 1;
        if self.focus == VALUE {
            y += lines_at(frame, inner, y, vec![self.value_hint(v.theme)]);
        }
        let field = label_row(frame, inner, y, "Currency", self.focus == CURRENCY, v.theme);
        if let Some(p) =
            self.currency
                .render(field, frame.buffer_mut(), v.theme, self.focus == CURRENCY)
        {
            frame.set_cursor_position(p);
        }
        y += 1;
        if self.focus == CURRENCY {
            let hint = Line::styled(
                "          a three-letter code: USD, EUR, GBP",
                v.theme.dim(),
            );
            y += lines_at(frame, inner, y, vec![hint]);
        }
        let field = label_row(frame, inner, y, "Stage", self.focus == STAGE, v.theme);
        let line = self.stage_line(v);
        frame.render_widget(line, field);
        y += 1;
        if self.focus == STAGE {
            let hint = if self.editing.is_some() {
                "          ← → choose; a new stage is a move, kept in the history"
            } else {
                "          ← → choose"
            };
            y += lines_at(frame, inner, y, vec![Line::styled(hint, v.theme.dim())]);
        }
        let field = label_row(frame, inner, y, "Close by", self.focus == CLOSE, v.theme);
        if let Some(p) =
            self.close
                .input
                .render(field, frame.buffer_mut(), v.theme, self.focus == CLOSE)
        {
            frame.set_cursor_position(p);
        }
        y += 1;
        let preview = self.close_preview(v, inner.width as usize);
        lines_at(frame, inner, y, vec![preview]);
        let bottom = inner.y + inner.height.saturating_sub(1);
        lines_at(
            frame,
            inner,
            bottom,
            vec![key_line(
                v.keymap,
                Context::Form,
                &[Action::Save, Action::NextField, Action::Cancel],
                v.theme,
            )],
        );
    }

    /// Under the value while it is typed: what it reads as, or why not.
    fn value_hint(&self, theme: &Theme) -> Line<'static> {
        match parse_value(self.value.text(), self.currency.text().trim()) {
            _ if self.value.is_empty() => {
                Line::styled("          12k, 12,500.50, 900 EUR, €900", theme.dim())
            }
            Ok((c, cur)) if cur.is_empty() => Line::styled(
                format!("          → {}", money::format_amount(c)),
                theme.ok(),
            ),
            Ok((c, cur)) => Line::styled(
                format!("          → {}", money::format(c, &cur)),
                theme.ok(),
            ),
            Err(e) => Line::styled(format!("          {e}"), theme.error()),
        }
    }

    /// The stages to pick from; a closed deal's stage with how to reopen it.
    fn stage_line(&self, v: &View) -> Line<'static> {
        match self.closed {
            Some(status) => Line::from(vec![
                Span::raw(printable(
                    self.stages.get(self.stage).map_or("", String::as_str),
                )),
                Span::styled(
                    format!(
                        "  ({status}: {} reopens it, then it moves)",
                        v.keymap.keys_of(Context::Closed, Action::Reopen)
                    ),
                    v.theme.dim(),
                ),
            ]),
            None => Line::from(
                self.stages
                    .iter()
                    .enumerate()
                    .map(|(i, s)| {
                        if i == self.stage {
                            Span::styled(format!("[{}] ", printable(s)), v.theme.focused())
                        } else {
                            Span::styled(format!(" {}  ", printable(s)), v.theme.dim())
                        }
                    })
                    .collect::<Vec<_>>(),
            ),
        }
    }

    /// Under the close date: what it reads as, or why not, or what can be typed.
    fn close_preview(&self, v: &View, width: usize) -> Line<'static> {
        if self.close.input.is_empty() {
            Line::styled(
                "          optional: dec 15, +3w, next week, 2027-01-31",
                v.theme.dim(),
            )
        } else {
            match self.close.preview(v.now) {
                Ok(s) => Line::styled(format!("          {s}"), v.theme.ok()),
                Err(e) => Line::styled(truncate(&format!("          {e}"), width), v.theme.error()),
            }
        }
    }
}

/// `12k`, `12,500.50 EUR`, `€900`, empty (0) -> cents and currency (`book` when none typed).
pub fn parse_value(text: &str, book: &str) -> Result<(i64, String)> {
    let t = text.trim();
    if t.is_empty() {
        return Ok((0, book.to_string()));
    }
    let (amount, code) = match t.rsplit_once(' ') {
        Some((a, c)) if c.len() == 3 && c.chars().all(|x| x.is_ascii_alphabetic()) => {
            (a.trim(), Some(c.to_ascii_uppercase()))
        }
        _ => (t, None),
    };
    let (cents, sym) = money::parse(amount)?;
    let cur = code
        .or(sym.map(str::to_string))
        .unwrap_or_else(|| book.to_string());
    Ok((cents, cur))
}

impl super::Dialog for DealForm {
    fn key(&mut self, key: &KeyEvent, keymap: &Keymap, desk: &mut Desk) -> Reply {
        self.handle_key(key, keymap, desk)
    }

    fn contact_field(&self) -> Option<&ContactField> {
        Some(&self.contact)
    }

    fn contact_field_mut(&mut self) -> Option<&mut ContactField> {
        Some(&mut self.contact)
    }

    fn paste(&mut self, text: &str, desk: &mut Desk) {
        DealForm::paste(self, text, desk);
    }

    fn draw(&self, frame: &mut Frame, area: Rect, v: &View) {
        self.render(frame, area, v);
    }
}

#[cfg(test)]
mod tests {
    use super::parse_value;

    #[test]
    fn values_people_type() {
        assert_eq!(
            parse_value("12k", "USD").unwrap(),
            (1_200_000, "USD".into())
        );
        assert_eq!(
            parse_value("12,500.50 eur", "USD").unwrap(),
            (1_250_050, "EUR".into())
        );
        assert_eq!(parse_value("€900", "USD").unwrap(), (90_000, "EUR".into()));
        assert_eq!(parse_value("", "USD").unwrap(), (0, "USD".into()));
        assert!(parse_value("lots", "USD").is_err());
    }
}
